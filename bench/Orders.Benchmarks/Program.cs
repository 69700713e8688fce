using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Benchmarks.Hosting;
using Marketplace.Catalog.Seed;
using Marketplace.ServiceDefaults.Identity;

// Checkouts from basket to paid (through the Stripe emulator and its webhooks), on one hot product and on many
// products, side by side in one run with the database's own limit (the hold statement alone on the hot row), and
// the time each message hop takes. Usage:
//   dotnet run -c Release --project bench/Orders.Benchmarks [-- --orders 300 --concurrency 16] [--quick] [--statements]
//     [--multiplexing] [--max-pool-size N]
// --statements counts PostgreSQL's statements per paid order (pg_stat_statements; it costs some CPU of its own);
// --multiplexing turns on Npgsql's multiplexing in Catalog and Orders (an experiment: docs/benchmarks.md,
// "Multiplexed connections"); --max-pool-size N sets Catalog's and Orders' connection pools to N (without it, the
// services' default, MessagingExtensions.DefaultMaxPoolSize).
var quick = args.Contains("--quick");
var countStatements = args.Contains("--statements");
var maxPoolSize = Args.Int(args, "--max-pool-size", 0);
var connectionOptions = (args.Contains("--multiplexing") ? ";Multiplexing=true" : "")
    + (maxPoolSize > 0 ? FormattableString.Invariant($";Maximum Pool Size={maxPoolSize}") : "");
var orders = Args.Int(args, "--orders", quick ? 80 : 300);
var concurrency = Args.Int(args, "--concurrency", 16);
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");

await using var services = await ServiceProcesses.StartAsync();
if (countStatements)
{
    await Statements.EnableAsync(services.Postgres);
}

var common = services.Common();
const string WebhookSecret = "whsec_bench";
var catalogUrl = services.Start("Catalog", "Marketplace.Catalog", new Dictionary<string, string>(common)
{
    ["ConnectionStrings__catalogdb"] = services.Postgres.ConnectionString("bench_catalog") + connectionOptions,
    ["Seed__Demo"] = "true",
});
var stripeUrl = services.Start("StripeEmulator", "Marketplace.StripeEmulator", new Dictionary<string, string>
{
    ["ASPNETCORE_ENVIRONMENT"] = "Production",
    ["Logging__LogLevel__Default"] = "Warning",
    ["Emulator__WebhookSecret"] = WebhookSecret,
});
var ordersUrl = services.Start("Orders", "Marketplace.Orders", new Dictionary<string, string>(common)
{
    ["ConnectionStrings__ordersdb"] = services.Postgres.ConnectionString("bench_orders") + connectionOptions,
    ["Stripe__SecretKey"] = "sk_test_bench",
    ["Stripe__ApiBase"] = stripeUrl,
    ["Stripe__WebhookSecret"] = WebhookSecret,
    // Every bench shopper is a new guest from this machine's one address.
    ["GuestBaskets__PermitLimit"] = "1000000",
    ["Seed__Demo"] = "true",
});

// The emulator learns where to post webhooks once Orders has a port.
await ServiceProcesses.WaitUntilAsync(new Uri(stripeUrl + "/health/ready"), _ => true);
using var http = new HttpClient();
(await http.PostAsJsonAsync(stripeUrl + "/_emulator/webhooks", new { url = ordersUrl + "/api/orders/payments/stripe-webhook" })).EnsureSuccessStatusCode();

var cooperative = await Setup.DemoCooperativeAsync(catalogUrl, ordersUrl);
var products = await Setup.StockUpAsync(catalogUrl, services.Tokens, cooperative);
await Setup.LiftHoldLimitsAsync(ordersUrl, services.Tokens, cooperative);
Console.WriteLine($"Demo cooperative ready: {products.Count} products, stock raised for the run.");

var hot = products[0];
var catalogDb = services.Postgres.ConnectionString("bench_catalog");
var ordersDb = services.Postgres.ConnectionString("bench_orders");
// A long warm-up: tiered compilation was still busy after 40 orders (a fifth of each service's CPU).
await Scenario.RunAsync("warm-up", ordersUrl, stripeUrl, cooperative, _ => hot, quick ? 60 : 200, concurrency);
var cpuBeforeRaw = services.CpuSeconds();
var (rawHeld, rawSeconds) = await HotRow.MeasureAsync(catalogDb, cooperative, hot, concurrency, TimeSpan.FromSeconds(quick ? 3 : 6));
var raw = rawHeld / rawSeconds;
var rawCpu = Cpu.Between(cpuBeforeRaw, services.CpuSeconds());
await Statements.ResetAsync(services.Postgres, countStatements);
var hotStart = DateTimeOffset.UtcNow;
var cpuBefore = services.CpuSeconds();
var hotResult = await Scenario.RunAsync("one hot product", ordersUrl, stripeUrl, cooperative, _ => hot, orders, concurrency);
var manyStart = DateTimeOffset.UtcNow;
var cpuBetween = services.CpuSeconds();
var hotStatements = countStatements ? await Statements.PerOrderAsync(services.Postgres, hotResult.Paid) : "";
var manyResult = await Scenario.RunAsync("many products", ordersUrl, stripeUrl, cooperative, i => products[i % products.Count], orders, concurrency);
var end = DateTimeOffset.UtcNow;
var cpuAfter = services.CpuSeconds();
Console.WriteLine();
Console.WriteLine("| Scenario | Paid orders/s | Placing (HTTP) p50 | Reservation round trip p50 / p95 | Payment to paid p50 | Share in message round trips |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
foreach (var result in new[] { hotResult, manyResult })
{
    Console.WriteLine(result.Row());
}

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Raw hot-row hold (the reservation's UPDATE alone, {concurrency} connections, autocommit): {raw:F0}/s; one hot product paid {hotResult.PaidPerSecond:F1}/s = {hotResult.PaidPerSecond / raw:F3}x"));
Console.WriteLine();
Console.WriteLine("Where the reservation round trip goes, per hop (from the services' outbox and inbox records), p50 / p95 ms:");
Console.WriteLine("| Scenario | Orders outbox wait | to Catalog's consumer | Catalog holds | Catalog outbox wait | to Orders' consumer |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
Console.WriteLine(await Hops.RowAsync("one hot product", ordersDb, catalogDb, hotStart, manyStart));
Console.WriteLine(await Hops.RowAsync("many products", ordersDb, catalogDb, manyStart, end));
Console.WriteLine();
Console.WriteLine("CPU per paid order, ms (where a checkout's work is done; all parts share the same cores):");
Console.WriteLine("| Scenario | " + string.Join(" | ", cpuBefore.Keys) + " | all |");
Console.WriteLine("| --- |" + string.Concat(Enumerable.Repeat(" ---: |", cpuBefore.Count + 1)));
var hotCpu = Cpu.Between(cpuBefore, cpuBetween);
foreach (var (name, used, paid) in new[] { ("one hot product", hotCpu, hotResult.Paid), ("many products", Cpu.Between(cpuBetween, cpuAfter), manyResult.Paid) })
{
    var perOrder = used.Values.Select(seconds => seconds * 1000 / paid).ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {string.Join(" | ", perOrder.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)))} | {perOrder.Sum():F1} |"));
}

// Every process shares the same cores, so the CPU a paid order costs caps the paid orders a second whatever else is
// changed: that cap over the raw rate is as far as this run's ratio can go without cheaper orders.
var cpuPerHold = rawCpu.Values.Sum() / rawHeld;
var cpuPerPaid = hotCpu.Values.Sum() / hotResult.Paid;
var ceiling = Environment.ProcessorCount / cpuPerPaid;
// Were the services, the emulator and the shoppers on cores of their own, PostgreSQL's own CPU would set the cap.
var databaseRatio = rawCpu["PostgreSQL"] / rawHeld / (hotCpu["PostgreSQL"] / hotResult.Paid);
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"A paid order on the hot product cost {cpuPerPaid * 1000:F1} ms of CPU across all processes, as much as {cpuPerPaid / cpuPerHold:F0} raw holds "
    + $"({cpuPerHold * 1000:F3} ms each: PostgreSQL {rawCpu["PostgreSQL"] * 1000 / rawHeld:F3}, load generator {rawCpu["load generator"] * 1000 / rawHeld:F3}; "
    + $"the cores {Cpu.Busy(rawCpu, rawSeconds):P0} busy during the holds). At that cost {Environment.ProcessorCount} cores pay at most {ceiling:F0} orders/s, "
    + $"{ceiling / raw:F3}x the raw rate: this run's ratio cannot pass that without cheaper orders. PostgreSQL spent "
    + $"{hotCpu["PostgreSQL"] * 1000 / hotResult.Paid:F1} ms per paid order: with every other process on cores of its own, the database's CPU alone would hold the ratio under {databaseRatio:F3}x."));

if (countStatements)
{
    Console.WriteLine();
    Console.WriteLine("PostgreSQL's statements per paid order, one hot product (pg_stat_statements):");
    Console.WriteLine(hotStatements);
}

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT checkout paid_per_s={hotResult.PaidPerSecond:F1} raw_hot_row_per_s={raw:F0} ratio={hotResult.PaidPerSecond / raw:F3} reservation_p50_ms={Percentiles.Of(hotResult.ReservationMs, 0.5):F1} reservation_p95_ms={Percentiles.Of(hotResult.ReservationMs, 0.95):F1}"));

internal static class Cpu
{
    public static Dictionary<string, double> Between(Dictionary<string, double> from, Dictionary<string, double> to) =>
        from.Keys.ToDictionary(k => k, k => to[k] - from[k]);

    /// <summary>The share of the machine's cores that the measured processes kept busy over the given seconds.</summary>
    public static double Busy(Dictionary<string, double> used, double seconds) => used.Values.Sum() / (seconds * Environment.ProcessorCount);
}

internal static class Args
{
    public static int Int(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}

internal sealed record Product(Guid ProductId, Guid VariantId);

internal static class Setup
{
    public static async Task<Guid> DemoCooperativeAsync(string catalogUrl, string ordersUrl)
    {
        using var http = new HttpClient();
        Guid id = default;
        await ServiceProcesses.WaitUntilAsync(new Uri($"{catalogUrl}/api/catalog/cooperatives/{DemoSeeder.Slug}"), body =>
        {
            id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
            return true;
        });
        await ServiceProcesses.WaitUntilAsync(new Uri($"{ordersUrl}/api/orders/merchants/{id}"), body => body.Contains("\"takesCards\":true", StringComparison.Ordinal));
        return id;
    }

    /// <summary>
    /// Every bench shopper orders from this machine with one number: the cooperative's caps on open unpaid orders per
    /// number and per address (kiosk and card) would refuse all but the first few in flight, which is not what is measured.
    /// </summary>
    public static async Task LiftHoldLimitsAsync(string ordersUrl, ServiceTokenIssuer tokens, Guid cooperativeId)
    {
        using var admin = new HttpClient { BaseAddress = new Uri(ordersUrl) };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", tokens.Mint(new ServiceCaller(Guid.NewGuid(), [MarketplaceRoles.CooperativeAdmin], [cooperativeId], null)));
        (await admin.PutAsJsonAsync($"/api/orders/merchants/{cooperativeId}/kiosk-hold-settings",
            new { pickupDaysAhead = 3, maxOpenPerPhone = 100, maxOpenPerClient = 1000, maxSharePercent = 100 })).EnsureSuccessStatusCode();
    }

    /// <summary>Every demo product gets a stock no run can exhaust, set by its maker as the member portal does.</summary>
    public static async Task<List<Product>> StockUpAsync(string catalogUrl, ServiceTokenIssuer tokens, Guid cooperativeId)
    {
        using var http = new HttpClient { BaseAddress = new Uri(catalogUrl) };
        var list = new Uri($"{catalogUrl}/api/catalog/products?pageSize=48&cooperative={cooperativeId}");
        await ServiceProcesses.WaitUntilAsync(list, body => JsonDocument.Parse(body).RootElement.GetProperty("items").GetArrayLength() >= 30);
        try
        {
            // Every demo photo made first: encoding them (WebP, three sizes) took a quarter of Catalog's CPU in the early runs.
            await ServiceProcesses.WaitUntilAsync(list, body => JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray()
                .All(i => i.TryGetProperty("imageUrl", out var image) && image.ValueKind == JsonValueKind.String), TimeSpan.FromMinutes(3));
        }
        catch (TimeoutException)
        {
            Console.WriteLine("Some demo photos are still being made: Catalog's figures include that work.");
        }

        var page = await http.GetFromJsonAsync<JsonElement>($"/api/catalog/products?pageSize=48&cooperative={cooperativeId}");
        var products = new List<Product>();
        // Stock rises only through a delivery received at the kiosk, or an admin's adjustment with its reason: the
        // benchmark's million units a size are the admin's adjustment.
        using var admin = new HttpClient { BaseAddress = new Uri(catalogUrl) };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", tokens.Mint(new ServiceCaller(Guid.NewGuid(), [MarketplaceRoles.CooperativeAdmin], [cooperativeId], null)));
        foreach (var item in page.GetProperty("items").EnumerateArray())
        {
            var productId = item.GetProperty("id").GetGuid();
            var detail = await http.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{productId}");
            var variantId = detail.GetProperty("variants")[0].GetProperty("id").GetGuid();
            var stocked = await admin.PutAsJsonAsync($"/api/catalog/products/{productId}/variants/{variantId}/stock", new { onHand = 1_000_000, reason = "benchmark stock" });
            if (!stocked.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Stocking up {productId} answered {(int)stocked.StatusCode}: {await stocked.Content.ReadAsStringAsync()}");
            }

            products.Add(new Product(productId, variantId));
        }

        return products;
    }
}

internal sealed record ScenarioResult(string Name, int Paid, double Seconds, double[] PlacingMs, double[] ReservationMs, double[] PaymentMs, double[] TotalMs)
{
    public double PaidPerSecond => Paid / Seconds;

    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"| {Name} | {PaidPerSecond:F1} | {P(PlacingMs, 0.5):F0} ms | {P(ReservationMs, 0.5):F0} / {P(ReservationMs, 0.95):F0} ms | {P(PaymentMs, 0.5):F0} ms | {ReservationMs.Sum() / TotalMs.Sum():P0} |");

    private static double P(double[] values, double p) => Percentiles.Of(values, p);
}

internal static class Percentiles
{
    public static double Of(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}

internal static class Scenario
{
    /// <summary>
    /// <paramref name="count"/> shoppers, <paramref name="concurrency"/> at a time, each from an empty basket to a paid
    /// order: add to basket, check out (card, pickup tomorrow), wait for the Checkout Session (the reservation round trip
    /// through RabbitMQ and Catalog), pay on the emulator, wait for the webhook to mark the order paid.
    /// </summary>
    public static async Task<ScenarioResult> RunAsync(string name, string ordersUrl, string stripeUrl, Guid cooperativeId, Func<int, Product> pick, int count, int concurrency)
    {
        var placing = new double[count];
        var reservation = new double[count];
        var payment = new double[count];
        var total = new double[count];
        var next = -1;
        var pickupDate = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7)).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                using var shopper = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(ordersUrl) };
                var product = pick(i);
                var start = Stopwatch.GetTimestamp();
                (await shopper.PutAsJsonAsync($"/api/orders/baskets/{cooperativeId}/lines/{product.VariantId}", new { productId = product.ProductId, quantity = 1 })).EnsureSuccessStatusCode();
                var placed = await shopper.PostAsJsonAsync($"/api/orders/baskets/{cooperativeId}/checkout",
                    new { name = "Turis", whatsApp = "081234567890", fulfilment = "pickup", pickupDate, payment = "card" });
                placed.EnsureSuccessStatusCode();
                var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                var afterPlacing = Stopwatch.GetTimestamp();
                var awaiting = await WaitForAsync(shopper, orderId, "awaitingPayment", lastSeen: "reserving");
                var afterReservation = Stopwatch.GetTimestamp();
                var sessionId = awaiting.GetProperty("checkoutUrl").GetString()!.Split('/')[^1];
                using var stripe = new HttpClient { BaseAddress = new Uri(stripeUrl) };
                (await stripe.PostAsJsonAsync($"/_emulator/checkout/{sessionId}/pay", new { card = "4242424242424242" })).EnsureSuccessStatusCode();
                await WaitForAsync(shopper, orderId, "paid", lastSeen: "awaitingPayment");
                var end = Stopwatch.GetTimestamp();
                placing[i] = Stopwatch.GetElapsedTime(start, afterPlacing).TotalMilliseconds;
                reservation[i] = Stopwatch.GetElapsedTime(afterPlacing, afterReservation).TotalMilliseconds;
                payment[i] = Stopwatch.GetElapsedTime(afterReservation, end).TotalMilliseconds;
                total[i] = Stopwatch.GetElapsedTime(start, end).TotalMilliseconds;
            }
        }));
        var result = new ScenarioResult(name, count, wall.Elapsed.TotalSeconds, placing, reservation, payment, total);
        Console.WriteLine($"{name}: {count} paid orders in {wall.Elapsed.TotalSeconds:F1} s");
        return result;
    }

    private static async Task<JsonElement> WaitForAsync(HttpClient shopper, Guid orderId, string status, string lastSeen)
    {
        // Each request waits on the server until the order leaves the status it last had, as a shopper's page does.
        var deadline = Stopwatch.StartNew();
        var current = lastSeen;
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            var order = await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}?waitWhile={current}&waitSeconds=20");
            current = order.GetProperty("status").GetString();
            if (current == status)
            {
                return order;
            }

            if (current is "stockRefused" or "expired" or "cancelled")
            {
                throw new InvalidOperationException($"Order {orderId} became {current} while waiting for {status}.");
            }
        }

        throw new TimeoutException($"Order {orderId} did not become {status}.");
    }
}
