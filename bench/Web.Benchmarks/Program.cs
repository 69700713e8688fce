using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

// First view of the storefront's home, search and product pages on a phone over 4G, as Lighthouse's mobile profile
// sets it up (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU four times slower), measured by the browser's
// own performance entries: bytes transferred, script bytes, Largest Contentful Paint and Cumulative Layout Shift.
// Each page is loaded cold (new browser context) several times; the median is reported next to its budget.
//
//   dotnet run -c Release --project bench/Web.Benchmarks            starts the local marketplace (demo data) itself
//   dotnet run -c Release --project bench/Web.Benchmarks -- --url http://127.0.0.1:8080   measures a running one
var url = ArgumentAfter("--url");
// --quick: 2 loads a page instead of 5. Each page ends with one line for scripts:
//   RESULT web page=<name> transferred_kb=.. script_kb=.. requests=.. lcp_ms=.. cls=..
var rounds = int.Parse(ArgumentAfter("--rounds") ?? (args.Contains("--quick") ? "2" : "5"), CultureInfo.InvariantCulture);
var results = new List<string>();
Process? marketplace = null;
if (url is null)
{
    // Its PostgreSQL and RabbitMQ take ports at fixed offsets from this one, all below the ephemeral range.
    marketplace = await StartMarketplaceAsync(9080);
    url = "http://127.0.0.1:9080";
}

try
{
    using var playwright = await Playwright.CreateAsync();
    await using var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });

    var productPath = await FirstProductPathAsync(chromium, url);
    var pages = new[] { ("home", "/"), ("search", "/cari?q=kerupuk"), ("product", productPath) };
    Console.WriteLine($"Storefront first view, mobile profile (150 ms RTT, 1.6 Mbit/s, CPU x4), median of {rounds} cold loads, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
    Console.WriteLine();
    Console.WriteLine("| page | transferred | of 500 KB | script | of 100 KB | requests | LCP | of 2.5 s | CLS | of 0.1 |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
    foreach (var (name, path) in pages)
    {
        var samples = new List<Sample>();
        for (var i = 0; i < rounds; i++)
        {
            samples.Add(await MeasureAsync(chromium, url + path));
        }

        var bytes = Median(samples.Select(s => s.Bytes));
        var script = Median(samples.Select(s => s.ScriptBytes));
        var lcp = Median(samples.Select(s => s.Lcp));
        var cls = Median(samples.Select(s => s.Cls));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {bytes / 1024:0.0} KB | {bytes / (500 * 1024):0.00}x | {script / 1024:0.0} KB | {script / (100 * 1024):0.00}x | {Median(samples.Select(s => (double)s.Requests)):0} | {lcp:0} ms | {lcp / 2500:0.00}x | {cls:0.000} | {cls / 0.1:0.00}x |"));
        results.Add(string.Create(CultureInfo.InvariantCulture,
            $"RESULT web page={name} transferred_kb={bytes / 1024:0.0} script_kb={script / 1024:0.0} requests={Median(samples.Select(s => (double)s.Requests)):0} lcp_ms={lcp:0} cls={cls:0.000}"));
    }

    Console.WriteLine();
    results.ForEach(Console.WriteLine);
}
finally
{
    if (marketplace is not null)
    {
        // The local run stops PostgreSQL, RabbitMQ and the services on SIGTERM.
        Process.Start("kill", ["-TERM", marketplace.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
        await marketplace.WaitForExitAsync();
    }
}

return 0;

static async Task<Sample> MeasureAsync(IBrowser chromium, string address)
{
    await using var context = await chromium.NewContextAsync(new BrowserNewContextOptions
    {
        ViewportSize = new ViewportSize { Width = 412, Height = 823 },
        DeviceScaleFactor = 1.75f,
        IsMobile = true,
        HasTouch = true,
        Locale = "id-ID",
        UserAgent = "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
    });
    var page = await context.NewPageAsync();
    var cdp = await context.NewCDPSessionAsync(page);
    await cdp.SendAsync("Network.enable");
    await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
    {
        ["offline"] = false, ["latency"] = 150, ["downloadThroughput"] = 1.6 * 1024 * 1024 / 8, ["uploadThroughput"] = 750 * 1024 / 8,
    });
    await cdp.SendAsync("Emulation.setCPUThrottlingRate", new Dictionary<string, object> { ["rate"] = 4 });
    await page.GotoAsync(address, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 60_000 });
    var result = await page.EvaluateAsync<JsonElement>("""
        () => new Promise(resolve => {
          let lcp = 0, cls = 0;
          new PerformanceObserver(list => { for (const e of list.getEntries()) lcp = e.startTime; }).observe({ type: 'largest-contentful-paint', buffered: true });
          new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) cls += e.value; }).observe({ type: 'layout-shift', buffered: true });
          setTimeout(() => {
            const navigation = performance.getEntriesByType('navigation')[0];
            const resources = performance.getEntriesByType('resource');
            resolve({
              lcp, cls,
              bytes: navigation.transferSize + resources.reduce((s, r) => s + r.transferSize, 0),
              script: resources.filter(r => r.initiatorType === 'script').reduce((s, r) => s + r.transferSize, 0),
              requests: resources.length + 1,
            });
          }, 2000);
        })
        """);
    return new Sample(result.GetProperty("bytes").GetDouble(), result.GetProperty("script").GetDouble(), result.GetProperty("lcp").GetDouble(),
        result.GetProperty("cls").GetDouble(), result.GetProperty("requests").GetInt32());
}

static async Task<string> FirstProductPathAsync(IBrowser chromium, string address)
{
    await using var context = await chromium.NewContextAsync();
    var page = await context.NewPageAsync();
    await page.GotoAsync(address + "/");
    return await page.Locator(".grid .card a").First.GetAttributeAsync("href") ?? throw new InvalidOperationException("The home page shows no product.");
}

static async Task<Process> StartMarketplaceAsync(int port)
{
    var root = AppContext.BaseDirectory;
    while (!File.Exists(Path.Combine(root, "Marketplace.sln")))
    {
        root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Run from inside the repository.");
    }

    var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
    var appHost = Path.Combine(root, "src", "AppHost", "bin", configuration, "net10.0", "Marketplace.AppHost.dll");
    var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
    foreach (var argument in new[] { appHost, "--port", port.ToString(CultureInfo.InvariantCulture), "--configuration", configuration })
    {
        info.ArgumentList.Add(argument);
    }

    var process = Process.Start(info) ?? throw new InvalidOperationException("The local marketplace did not start.");
    while (await process.StandardOutput.ReadLineAsync() is { } line)
    {
        if (line.StartsWith("The marketplace is up", StringComparison.Ordinal))
        {
            _ = process.StandardOutput.ReadToEndAsync();
            return process;
        }
    }

    await process.WaitForExitAsync();
    throw new InvalidOperationException($"The local marketplace exited with code {process.ExitCode}.");
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

string? ArgumentAfter(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

internal sealed record Sample(double Bytes, double ScriptBytes, double Lcp, double Cls, int Requests);
