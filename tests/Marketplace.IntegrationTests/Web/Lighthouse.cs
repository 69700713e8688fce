using System.Diagnostics;
using System.Text.Json;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// Google's Lighthouse (npm, pinned), run from the command line against a page of the running marketplace with Debian's
/// Chromium. Installed once into the repository's ignored <c>.local/lighthouse</c> and reused by later runs, so a fresh
/// clone needs only Node.js and the npm registry.
/// </summary>
public static class Lighthouse
{
    public const string Version = "12.2.3";

    private static readonly SemaphoreSlim Installing = new(1, 1);

    /// <summary>The page's score in one category (0 to 1) and the titles of that category's audits it failed.</summary>
    public static async Task<(double Score, IReadOnlyList<string> Failed)> RunAsync(Uri page, string category)
    {
        ArgumentNullException.ThrowIfNull(page);
        var cli = await InstalledAsync();
        var report = Path.Combine(Path.GetTempPath(), $"lighthouse-{Guid.NewGuid():N}.json");
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        try
        {
            await RunAsync("node", [
                cli, page.ToString(), $"--only-categories={category}", $"--chrome-path={chromium}",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu", "--output=json", $"--output-path={report}", "--quiet",
                // What is measured here is markup, not speed: no simulated slow network to wait out.
                "--throttling-method=provided",
            ], TimeSpan.FromMinutes(3));
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
            var root = json.RootElement;
            var scored = root.GetProperty("categories").GetProperty(category);
            var audits = root.GetProperty("audits");
            var failed = scored.GetProperty("auditRefs").EnumerateArray()
                .Where(r => r.GetProperty("weight").GetDouble() > 0)
                .Select(r => audits.GetProperty(r.GetProperty("id").GetString()!))
                .Where(a => a.GetProperty("score").ValueKind == JsonValueKind.Number && a.GetProperty("score").GetDouble() < 1)
                .Select(a => $"{a.GetProperty("title").GetString()} ({a.GetProperty("id").GetString()})"
                    + (a.TryGetProperty("explanation", out var why) ? $": {why.GetString()}" : string.Empty))
                .ToList();
            var score = scored.GetProperty("score");
            return (score.ValueKind == JsonValueKind.Number ? score.GetDouble() : 0, failed);
        }
        finally
        {
            File.Delete(report);
        }
    }

    /// <summary>The CLI's script, installed on first use with npm into <c>.local/lighthouse</c> under the repository.</summary>
    private static async Task<string> InstalledAsync()
    {
        var folder = Path.Combine(RepositoryRoot(), ".local", "lighthouse");
        var cli = Path.Combine(folder, "node_modules", "lighthouse", "cli", "index.js");
        var manifest = Path.Combine(folder, "node_modules", "lighthouse", "package.json");
        await Installing.WaitAsync();
        try
        {
            if (File.Exists(cli) && File.Exists(manifest)
                && JsonDocument.Parse(await File.ReadAllTextAsync(manifest)).RootElement.GetProperty("version").GetString() == Version)
            {
                return cli;
            }

            Directory.CreateDirectory(folder);
            await RunAsync("npm", ["install", "--prefix", folder, $"lighthouse@{Version}", "--no-audit", "--no-fund", "--loglevel=error"], TimeSpan.FromMinutes(5));
            return File.Exists(cli) ? cli : throw new InvalidOperationException($"npm installed lighthouse@{Version}, but {cli} is not there.");
        }
        finally
        {
            Installing.Release();
        }
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan patience)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} ran longer than {patience}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await errors}\n{await output}");
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Marketplace.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository's root (Marketplace.sln) is not above the tests.");
    }
}
