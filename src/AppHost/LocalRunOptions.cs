namespace Marketplace.AppHost;

internal sealed record LocalRunOptions(string RepositoryRoot, int GatewayPort, string Configuration)
{
    public static LocalRunOptions Parse(string[] args)
    {
        var port = 8080;
        var configuration = "Debug";
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--port" && int.TryParse(args[i + 1], out var p))
            {
                port = p;
            }
            else if (args[i] == "--configuration")
            {
                configuration = args[i + 1];
            }
        }

        return new LocalRunOptions(FindRepositoryRoot(), port, configuration);
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Marketplace.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Run the AppHost from inside the repository.");
    }
}
