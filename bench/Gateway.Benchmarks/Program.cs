using Marketplace.Benchmarks.Hosting;
using Marketplace.Gateway.Benchmarks;

// The product list through the Gateway against the same request straight to Catalog, in one run, with both
// services as separate processes on real PostgreSQL and RabbitMQ. Usage:
//   dotnet run -c Release --project bench/Gateway.Benchmarks [-- --seconds 6 --rounds 5 --concurrency 32 --warm-up 15] [--quick]
// It ends with one line for scripts: RESULT gateway direct_per_s=.. gateway_per_s=.. ratio=.. added_p50_ms=.. added_p99_ms=..
var quick = args.Contains("--quick");
var seconds = Arguments.Int(args, "--seconds", quick ? 4 : 6);
var rounds = Arguments.Int(args, "--rounds", quick ? 2 : 5);
var warmUp = Arguments.Int(args, "--warm-up", quick ? 6 : 15);
var concurrency = Arguments.Int(args, "--concurrency", 32);
const string ProductList = "/api/catalog/products?pageSize=20";

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
await using var services = await ServiceProcesses.StartAsync();
var common = services.Common();
var catalogUrl = services.Start("Catalog", "Marketplace.Catalog", new Dictionary<string, string>(common)
{
    ["ConnectionStrings__catalogdb"] = services.Postgres.ConnectionString("bench_catalog"),
    ["Seed__Demo"] = "true",
});
var gatewayUrl = services.Start("Gateway", "Marketplace.Gateway", new Dictionary<string, string>(common)
{
    ["ConnectionStrings__gatewaydb"] = services.Postgres.ConnectionString("bench_gateway"),
    ["Services__catalog__http__0"] = catalogUrl,
    ["Services__orders__http__0"] = "http://127.0.0.1:1",
    ["Services__web__http__0"] = "http://127.0.0.1:1",
    ["ServiceTokens__SigningKeyPem"] = services.ServiceKeyPem,
    ["Gateway__Tokens__SigningKeyPem"] = ServiceProcesses.NewKeyPem(),
    ["Gateway__Tokens__EncryptionKeyPem"] = ServiceProcesses.NewKeyPem(),
    ["Gateway__RequireHttps"] = "false",
    // The load comes from one address: lift the per-address limit for the measurement.
    ["RateLimits__AnonymousReadsPerIp__PermitLimit"] = "100000000",
});
var direct = new Uri(catalogUrl + ProductList);
var viaGateway = new Uri(gatewayUrl + ProductList);
await ServiceProcesses.WaitUntilAsync(direct, body => body.Contains("\"items\":[{", StringComparison.Ordinal));
await ServiceProcesses.WaitUntilAsync(viaGateway, body => body.Contains("\"items\":[{", StringComparison.Ordinal));
await LoadGenerator.WarmUpAsync([direct, viaGateway, direct, viaGateway], concurrency, TimeSpan.FromSeconds(warmUp / 2.0));

// Saturation: closed loop, rounds interleaved so that a noisy neighbour hurts both sides alike.
var directRates = new List<double>();
var gatewayRates = new List<double>();
for (var round = 0; round < rounds; round++)
{
    directRates.Add(await LoadGenerator.SaturateAsync(direct, concurrency, TimeSpan.FromSeconds(seconds)));
    gatewayRates.Add(await LoadGenerator.SaturateAsync(viaGateway, concurrency, TimeSpan.FromSeconds(seconds)));
    Console.WriteLine($"  round {round + 1}: direct {directRates[^1]:F0} req/s, via Gateway {gatewayRates[^1]:F0} req/s");
}

var directSaturation = Median(directRates);
var gatewaySaturation = Median(gatewayRates);
Console.WriteLine($"Saturation (median of {rounds}, {concurrency} concurrent): direct {directSaturation:F0} req/s, via Gateway {gatewaySaturation:F0} req/s, ratio {gatewaySaturation / directSaturation:F2}x");

// Latency at half of direct's saturation rate: open loop, timed from when each request was due.
var rate = directSaturation / 2;
var directLatency = new List<LatencySummary>();
var gatewayLatency = new List<LatencySummary>();
for (var round = 0; round < rounds; round++)
{
    directLatency.Add(await LoadGenerator.AtRateAsync(direct, rate, TimeSpan.FromSeconds(seconds)));
    gatewayLatency.Add(await LoadGenerator.AtRateAsync(viaGateway, rate, TimeSpan.FromSeconds(seconds)));
    Console.WriteLine($"  round {round + 1} at {rate:F0} req/s: direct {directLatency[^1]}, via Gateway {gatewayLatency[^1]}");
}

// Every request of every round pooled: a percentile of ~{rounds x rate x seconds} samples per side.
var directPooled = LatencySummary.Pooled(directLatency);
var gatewayPooled = LatencySummary.Pooled(gatewayLatency);
var addedP99 = gatewayPooled.P99Ms - directPooled.P99Ms;
Console.WriteLine($"Latency at {rate:F0} req/s, all rounds pooled: direct {directPooled}; via Gateway {gatewayPooled}");
Console.WriteLine($"Added by the Gateway: p50 {gatewayPooled.P50Ms - directPooled.P50Ms:F2} ms, p99 {addedP99:F2} ms");
Console.WriteLine($"Goal: throughput ratio >= 0.40x ({(gatewaySaturation / directSaturation >= 0.4 ? "met" : "NOT met")}), "
    + $"added p99 < 2 ms ({(addedP99 < 2 ? "met" : "NOT met")})");
Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
    $"RESULT gateway direct_per_s={directSaturation:F0} gateway_per_s={gatewaySaturation:F0} ratio={gatewaySaturation / directSaturation:F2} added_p50_ms={gatewayPooled.P50Ms - directPooled.P50Ms:F2} added_p99_ms={addedP99:F2}"));

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

internal static class Arguments
{
    public static int Int(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}
