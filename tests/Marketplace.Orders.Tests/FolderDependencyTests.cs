using System.Text.RegularExpressions;

namespace Marketplace.Orders.Tests;

/// <summary>
/// Orders' feature folders form layers, not loops: the order's life is read from its aggregate outwards, and no two
/// folders import each other. The service's root (its DbContext, its wiring) may know every folder.
/// </summary>
public sealed class FolderDependencyTests
{
    [Fact]
    public void No_two_folders_of_Orders_import_each_other()
    {
        var source = Path.Combine(RepositoryRoot(), "src", "Orders");
        var folders = Directory.GetDirectories(source).Select(Path.GetFileName).OfType<string>()
            .Where(f => f is not ("bin" or "obj" or "Properties")).ToList();
        var imports = folders.ToDictionary(f => f, f => ImportsOf(Path.Combine(source, f), f, folders));

        var loops = (from a in folders from b in imports[a] where string.CompareOrdinal(a, b) < 0 && imports[b].Contains(a) select $"{a} <-> {b}").ToList();

        Assert.True(imports["Lifecycle"].Contains("OrderAggregate"), "the scan must see what a folder imports");
        Assert.Empty(loops);
    }

    [Fact]
    public void The_order_aggregate_imports_no_other_folder()
    {
        var source = Path.Combine(RepositoryRoot(), "src", "Orders");
        var folders = Directory.GetDirectories(source).Select(Path.GetFileName).OfType<string>().ToList();

        Assert.Empty(ImportsOf(Path.Combine(source, "OrderAggregate"), "OrderAggregate", folders));
    }

    private static HashSet<string> ImportsOf(string folder, string name, IReadOnlyList<string> folders)
    {
        var imported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var code = File.ReadAllText(file);
            foreach (var other in folders.Where(f => f != name))
            {
                // A using directive, a fully qualified name, or a name qualified from within Marketplace.Orders.
                if (Regex.IsMatch(code, $@"Marketplace\.Orders\.{other}\b") || Regex.IsMatch(code, $@"(?<![\w.]){other}\.[A-Z]"))
                {
                    imported.Add(other);
                }
            }
        }

        return imported;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Marketplace.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The tests run from outside the repository.");
    }
}
