using System.Globalization;
using Microsoft.Playwright;

// Uses a running marketplace through its Gateway the way people do: a visitor browses the demo store, a guest
// orders for pickup at the kiosk and finds her pickup code on WhatsApp (the emulator's phone page), the platform
// admin finds that order by its pickup code, and the guest's order can be followed in the telemetry dashboard from the
// Gateway through Orders and RabbitMQ to Catalog. Prints one line per check ("PASS name" or "FAIL name: why") and
// exits 1 when any failed.
// Usage: Marketplace.RunSmoke <gateway address> <screenshot folder> <WhatsApp emulator address> [<dashboard address>]
if (args.Length < 3)
{
    Console.Error.WriteLine("Usage: Marketplace.RunSmoke <gateway address> <screenshot folder> <WhatsApp emulator address> [<dashboard address>]");
    return 2;
}

var gateway = new Uri(args[0].TrimEnd('/') + "/");
var screenshots = Directory.CreateDirectory(args[1]).FullName;
var whatsApp = new Uri(args[2].TrimEnd('/') + "/");
var dashboard = args.Length > 3 ? new Uri(args[3].TrimEnd('/') + "/") : null;
var failures = 0;

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});

async Task<IPage> NewPhoneAsync()
{
    var context = await browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = gateway.ToString(),
        ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        IsMobile = true,
        HasTouch = true,
        Locale = "id-ID",
    });
    context.SetDefaultTimeout(60_000);
    context.SetDefaultNavigationTimeout(60_000);
    return await context.NewPageAsync();
}

// Waited for from the navigation's commit, then the document's own readiness, asked of the page every 100 ms: a wait for
// a load event (the load, and once DOMContentLoaded) took a full minute in the tests for a page already on the screen.
static async Task ArrivedAtAsync(IPage page, string pattern)
{
    await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(pattern), new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
    await page.WaitForFunctionAsync("() => document.readyState !== 'loading'", null, new PageWaitForFunctionOptions { PollingInterval = 100, Timeout = 60_000 });
}

async Task<bool> CheckAsync(string name, IPage page, Func<Task> check)
{
    try
    {
        await check();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, name + ".png"), FullPage = true });
        Console.WriteLine($"PASS {name}");
        return true;
    }
    catch (Exception ex) when (ex is PlaywrightException or TimeoutException or InvalidOperationException)
    {
        failures++;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "FAILED-" + name + ".png"), FullPage = true })
            .ContinueWith(_ => { }, TaskScheduler.Default);
        Console.WriteLine($"FAIL {name}: {ex.Message.Split('\n')[0]}");
        return false;
    }
}

var visitor = await NewPhoneAsync();
string? productHref = null;
await CheckAsync("home-page-lists-the-demo-products", visitor, async () =>
{
    var response = await visitor.GotoAsync("/") ?? throw new InvalidOperationException("no response for /");
    Expect(response.Ok, $"/ answered {response.Status}");
    var cards = visitor.Locator("a[href^='/produk/']");
    await cards.First.WaitForAsync();
    Expect(await cards.CountAsync() >= 4, "fewer than four products on the home page");
    productHref = await cards.First.GetAttributeAsync("href");
});

await CheckAsync("a-product-photo-is-served", visitor, async () =>
{
    var source = await visitor.Locator("main img").First.GetAttributeAsync("src")
        ?? throw new InvalidOperationException("no product photo on the home page");
    var photo = await visitor.APIRequest.GetAsync(source);
    Expect(photo.Ok, $"{source} answered {photo.Status}");
    var type = photo.Headers.GetValueOrDefault("content-type", "");
    Expect(type.StartsWith("image/", StringComparison.Ordinal), $"{source} is {type}, not an image");
    Expect((await photo.BodyAsync()).Length > 500, $"{source} is nearly empty");
});

var guest = await NewPhoneAsync();
string? pickupCode = null;
await CheckAsync("a-guest-orders-for-pickup-at-the-kiosk", guest, async () =>
{
    await guest.GotoAsync(productHref ?? throw new InvalidOperationException("no product to open"));
    await guest.ClickAsync("form.buy button[type=submit]");
    await ArrivedAtAsync(guest, @"/keranjang\?notice=added$");
    await guest.ClickAsync("a.button[href$='/bayar']");
    await guest.FillAsync("#name", "Ibu Wisatawan");
    await guest.FillAsync("#whatsApp", "0812 7777 8888");
    var tomorrow = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7)).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    await guest.FillAsync("#pickupDate", tomorrow);
    await guest.CheckAsync("input[type=radio][value=kiosk]");
    await guest.ClickAsync("form.stacked button[type=submit]");
    await guest.Locator("[data-status=AwaitingKioskPayment]").WaitForAsync();
    pickupCode = (await guest.Locator("figcaption .code").TextContentAsync())?.Trim();
    Expect(!string.IsNullOrEmpty(pickupCode), "the order page shows no pickup code");
});

var phone = await NewPhoneAsync();
await CheckAsync("the-guest-finds-her-pickup-code-on-whatsapp", phone, async () =>
{
    var chat = new Uri(whatsApp, "numbers/6281277778888").ToString();
    var code = pickupCode ?? throw new InvalidOperationException("no pickup code to look for");
    for (var attempt = 0; ; attempt++)
    {
        await phone.GotoAsync(chat);
        if ((await phone.ContentAsync()).Contains(code, StringComparison.Ordinal))
        {
            break;
        }

        Expect(attempt < 30, $"no WhatsApp message with {code} arrived");
        await Task.Delay(1000);
    }
});

var admin = await NewPhoneAsync();
await CheckAsync("the-platform-admin-finds-the-order-by-its-pickup-code", admin, async () =>
{
    await admin.GotoAsync("/masuk");
    await admin.FillAsync("#login", "admin@marketplace.local");
    await admin.FillAsync("#password", "admin-lokal-2026");
    await admin.ClickAsync("form.stacked button[type=submit]");
    await ArrivedAtAsync(admin, @"/akun$");
    // She runs no cooperative of her own: the kiosk asks which one first, then brings her back.
    await admin.GotoAsync("/admin/kiosk");
    await ArrivedAtAsync(admin, @"/admin/koperasi\?kembali=[^/]*$");
    await admin.Locator("[data-cooperative='koperasi-wanita-pantai-binor'] a").ClickAsync();
    await ArrivedAtAsync(admin, @"/admin/kiosk\?koperasi=[^/]*$");
    await admin.FillAsync("#kode", pickupCode ?? throw new InvalidOperationException("no pickup code to look for"));
    await admin.ClickAsync("#find-order button[type=submit]");
    await admin.Locator("[data-status=AwaitingKioskPayment]").WaitForAsync();
});

await CheckAsync("the-admin-sells-a-packet-at-the-counter-for-cash", admin, async () =>
{
    // Admins sell too: she opens the kiosk's till with a float (unless it is open), then sells from the sale screen.
    await admin.GotoAsync("/kasir");
    if (await admin.Locator("[data-testid=sell]").CountAsync() == 0)
    {
        await admin.Locator("input[name='OpenPosted.Amount']").First.FillAsync("100000");
        await admin.Locator("[data-testid=till] button[type=submit]").First.ClickAsync();
    }

    await admin.Locator("[data-testid=sell]").First.ClickAsync();
    await ArrivedAtAsync(admin, @"/kasir/jual\?sesi=[^/]*$");
    await admin.Locator("#pos-grid [data-product]").First.ClickAsync();
    if (await admin.Locator("#pos-sizes").IsVisibleAsync())
    {
        await admin.Locator("#pos-sizes [data-variant]").First.ClickAsync();
    }

    await admin.ClickAsync("[data-tender=exact]");
    await admin.ClickAsync("#pos-record");
    await admin.Locator("#pos-queue li[data-state=sent]").First.WaitForAsync();
    var receipt = await admin.Locator("#pos-receipt-link").GetAttributeAsync("href") ?? throw new InvalidOperationException("no receipt link");
    await admin.GotoAsync(new Uri(receipt).PathAndQuery);
    await admin.Locator("[data-testid=receipt-paid]").WaitForAsync();
});

if (dashboard is not null)
{
    // The run sends every service's traces to the dashboard: the guest's kiosk order must be there as one trace that
    // passed through the Gateway, Orders and Catalog (the stock reservation travels over RabbitMQ in between).
    const string name = "the-guest-order-is-one-trace-in-the-dashboard";
    try
    {
        using var http = new HttpClient { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(30) };
        var found = false;
        for (var attempt = 0; attempt < 30 && !found; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(2000);
            }

            using var traces = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("api/telemetry/traces"));
            found = TelemetryTraces.ServicesByTrace(traces.RootElement).Values
                .Any(services => services.IsSupersetOf(["gateway", "orders", "catalog"]));
        }

        Expect(found, "no trace in the dashboard passes through the Gateway, Orders and Catalog");
        Console.WriteLine($"PASS {name}");
    }
    catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException or TaskCanceledException)
    {
        failures++;
        Console.WriteLine($"FAIL {name}: {ex.Message.Split('\n')[0]}");
    }
}

return failures == 0 ? 0 : 1;

static void Expect(bool condition, string otherwise)
{
    if (!condition)
    {
        throw new InvalidOperationException(otherwise);
    }
}

/// <summary>Reads the dashboard's OTLP JSON (resourceSpans with their service.name) into each trace's services.</summary>
internal static class TelemetryTraces
{
    public static Dictionary<string, HashSet<string>> ServicesByTrace(System.Text.Json.JsonElement root)
    {
        var byTrace = new Dictionary<string, HashSet<string>>();
        foreach (var resourceSpans in root.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var service = resourceSpans.GetProperty("resource").GetProperty("attributes").EnumerateArray()
                .Where(a => a.GetProperty("key").GetString() == "service.name")
                .Select(a => a.GetProperty("value").GetProperty("stringValue").GetString())
                .FirstOrDefault() ?? "";
            foreach (var scope in resourceSpans.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                {
                    var trace = span.GetProperty("traceId").GetString() ?? "";
                    if (!byTrace.TryGetValue(trace, out var services))
                    {
                        byTrace[trace] = services = [];
                    }

                    services.Add(service);
                }
            }
        }

        return byTrace;
    }
}
