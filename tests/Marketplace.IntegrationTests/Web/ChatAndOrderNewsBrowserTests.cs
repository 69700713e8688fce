using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// Through the whole marketplace: the shopper hears once that her order is ready at the kiosk, and once that it was
/// shipped; the product and order pages offer a WhatsApp chat with the cooperative; the admin's delivery log filters
/// the failed messages and says why in her words.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class ChatAndOrderNewsBrowserTests(StorefrontStack shop)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>The cooperative's number as its admin typed it (081234567890), as wa.me wants it.</summary>
    private const string CooperativeNumber = "6281234567890";

    [Fact]
    public async Task A_paid_pickup_order_is_told_ready_once_when_the_last_members_line_is_prepared()
    {
        var number = NewNumber();
        using var guest = shop.Stack.NewBrowser();
        await AddToBasketAsync(guest, shop.FishCrackers.Id);
        await AddToBasketAsync(guest, shop.PandanBag.Id);
        var orderId = await CheckOutAsync(guest, new { name = "Ibu Siap", whatsApp = "0" + number[2..], fulfilment = "pickup", pickupDate = StorefrontStack.Tomorrow(), payment = "kiosk" });
        await OrderWhenAsync(guest, orderId, "awaitingKioskPayment");
        (await shop.Admin.Http.PostAsJsonAsync($"/api/orders/kiosk/{shop.CooperativeId}/orders/{orderId}/payment", new { method = "cash", tillSessionId = await Counter.OpenSessionAsync(shop.Admin.Http, shop.CooperativeId) })).EnsureSuccessStatusCode();
        using var ani = shop.Stack.NewBrowser();
        await ani.SignInAsync($"ani@{shop.Slug}.test", StorefrontStack.Password);

        await MarkMyLineReadyAsync(shop.Member, orderId);
        var paid = await Eventually.GetAsync(() => MessagesAsync(number), m => m.Any(x => Template(x) == "shopper_order_paid"), Patience, "the payment's message");
        Assert.DoesNotContain(paid, m => Template(m) == "shopper_order_ready_for_pickup");
        await MarkMyLineReadyAsync(ani, orderId);
        await MarkMyLineReadyAsync(ani, orderId);
        await MarkMyLineReadyAsync(shop.Member, orderId);

        var messages = await Eventually.GetAsync(
            () => MessagesAsync(number), m => m.Any(x => Template(x) == "shopper_order_ready_for_pickup"), Patience, "the ready message");
        var ready = Assert.Single(messages, m => Template(m) == "shopper_order_ready_for_pickup");
        var text = ready.GetProperty("text").GetString()!;
        var pickupCode = (await guest.Http.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}")).GetProperty("pickupCode").GetString()!;
        Assert.Contains($"Kode ambil: {pickupCode}", text, StringComparison.Ordinal);
        Assert.Contains("Pantai Binor, Probolinggo", text, StringComparison.Ordinal);
        Assert.Contains("Jam buka: Senin-Minggu 00.00-23.59 WIB", text, StringComparison.Ordinal);
        Assert.Contains($"{shop.Address}orders/{orderId}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shipping_a_paid_order_tells_its_shopper_the_courier_and_tracking_number_once()
    {
        var number = NewNumber();
        using var guest = shop.Stack.NewBrowser();
        await AddToBasketAsync(guest, shop.FishCrackers.Id);
        var orderId = await CheckOutAsync(guest, new
        {
            name = "Mbak Kirim",
            whatsApp = "+" + number,
            fulfilment = "shipping",
            shippingAddress = new { recipient = "Mbak Kirim", street = "Jl. Mawar 1", city = "Surabaya", province = "Jawa Timur", postalCode = "60111", zone = "jawa" },
            payment = "card",
        });
        var checkoutUrl = (await OrderWhenAsync(guest, orderId, "awaitingPayment", o => o.GetProperty("checkoutUrl").ValueKind == JsonValueKind.String))
            .GetProperty("checkoutUrl").GetString()!;
        using var stripe = new HttpClient { BaseAddress = shop.Stack.StripeAddress };
        (await stripe.PostAsJsonAsync($"/_emulator/checkout/{checkoutUrl[(checkoutUrl.LastIndexOf('/') + 1)..]}/pay", new { card = "4242 4242 4242 4242" })).EnsureSuccessStatusCode();

        await Eventually.TrueAsync(
            async () => (await shop.Admin.Http.PostAsJsonAsync($"/api/orders/orders/{orderId}/ship", new { courier = "J&T", trackingNumber = "JT0012345678" })).IsSuccessStatusCode,
            Patience,
            "the paid order to be shipped");
        var again = await shop.Admin.Http.PostAsJsonAsync($"/api/orders/orders/{orderId}/ship", new { courier = "JNE", trackingNumber = "JNE999" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var messages = await Eventually.GetAsync(
            () => MessagesAsync(number), m => m.Any(x => Template(x) == "shopper_order_shipped"), Patience, "the shipped message");
        var shipped = Assert.Single(messages, m => Template(m) == "shopper_order_shipped");
        var text = shipped.GetProperty("text").GetString()!;
        Assert.Contains("sudah dikirim lewat J&T dengan nomor resi JT0012345678", text, StringComparison.Ordinal);
        Assert.Contains($"{shop.Address}orders/{orderId}", text, StringComparison.Ordinal);
        Assert.DoesNotContain("JNE999", messages.ToString(), StringComparison.Ordinal);
        // The page the message links to says the same, on her phone (the guest's session carried over to it).
        var phone = await shop.NewPhoneAsync();
        await phone.Context.AddCookiesAsync(guest.Cookies.GetAllCookies().Select(c => new Microsoft.Playwright.Cookie { Name = c.Name, Value = c.Value, Url = shop.Address.ToString() }));
        await phone.GotoAsync($"/orders/{orderId}");
        await Expect(phone.Locator("[data-testid=shipment]")).ToContainTextAsync("Dikirim lewat J&T, nomor resi JT0012345678");
        await StorefrontStack.AccessibleAsync(phone, "shipped-order-page");
    }

    [Fact]
    public Task The_product_and_order_pages_offer_a_WhatsApp_chat_with_the_cooperative_in_the_pages_language() => shop.CapturingFailureAsync(async () =>
    {
        var guest = await shop.NewPhoneAsync();
        await guest.GotoAsync($"/produk/{shop.FishCrackers.Id}");
        var chat = guest.Locator("[data-testid=chat-whatsapp]");
        await Expect(chat).ToHaveTextAsync("Tanya produk ini di WhatsApp");
        var (to, text) = WaMe(await chat.GetAttributeAsync("href"));
        Assert.Equal(CooperativeNumber, to);
        Assert.StartsWith($"Halo, saya ingin bertanya tentang {shop.FishCrackers.Name}: {shop.Address}produk/{shop.FishCrackers.Id}/", text, StringComparison.Ordinal);
        await StorefrontStack.AccessibleAsync(guest, "chat-1-product");

        await guest.ClickAsync("a[hreflang=en]");
        await Expect(chat).ToHaveTextAsync("Ask about this product on WhatsApp");
        (_, text) = WaMe(await chat.GetAttributeAsync("href"));
        Assert.StartsWith($"Hello, I have a question about {shop.FishCrackers.Name.Replace("Kerupuk Ikan", "Fish crackers", StringComparison.Ordinal)}: ", text, StringComparison.Ordinal);
        await guest.ClickAsync("a[hreflang=id]");

        await guest.ClickAsync("form.buy button[type=submit]");
        await StorefrontStack.InBasketAsync(guest);
        await guest.ClickAsync("a.button[href$='/bayar']");
        await guest.FillAsync("#name", "Ibu Bertanya");
        await guest.FillAsync("#whatsApp", "0812 6666 5555");
        await guest.FillAsync("#pickupDate", StorefrontStack.Tomorrow());
        await guest.CheckAsync("input[type=radio][value=kiosk]");
        await guest.ClickAsync("form.stacked button[type=submit]");
        await Expect(guest.Locator("[data-status=AwaitingKioskPayment]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = (float)Patience.TotalMilliseconds });
        var pickupCode = (await guest.Locator("figcaption .code").TextContentAsync())!.Trim();
        await Expect(chat).ToHaveTextAsync("Tanya pesanan ini di WhatsApp");
        (to, text) = WaMe(await chat.GetAttributeAsync("href"));
        Assert.Equal(CooperativeNumber, to);
        Assert.Equal($"Halo, saya ingin bertanya tentang pesanan saya dengan kode ambil {pickupCode}.", text);
        await StorefrontStack.AccessibleAsync(guest, "chat-2-order");
    });

    [Fact]
    public Task The_admin_filters_the_failed_messages_and_reads_why_in_her_language() => shop.CapturingFailureAsync(async () =>
    {
        var number = NewNumber();
        using var emulator = new HttpClient { BaseAddress = shop.Stack.WhatsAppAddress };
        // The number is not on WhatsApp: WhatsApp takes the message, then reports it failed for good.
        (await emulator.PostAsJsonAsync("/_emulator/fail-next", new { count = 1, mode = "status", code = 131026 })).EnsureSuccessStatusCode();
        using var guest = shop.Stack.NewBrowser();
        await AddToBasketAsync(guest, shop.PandanBag.Id);
        await CheckOutAsync(guest, new { name = "Ibu Gagal", whatsApp = "0" + number[2..], fulfilment = "pickup", pickupDate = StorefrontStack.Tomorrow(), payment = "kiosk" });
        await Eventually.TrueAsync(async () => (await MessagesAsync(number)).Any(m => m.TryGetProperty("status", out var status) && status.GetString() == "failed"), Patience, "WhatsApp to report the message failed");
        // And one that gets through, for the filter to leave out.
        var another = NewNumber();
        using var second = shop.Stack.NewBrowser();
        await AddToBasketAsync(second, shop.PandanBag.Id);
        await CheckOutAsync(second, new { name = "Ibu Sampai", whatsApp = "0" + another[2..], fulfilment = "pickup", pickupDate = StorefrontStack.Tomorrow(), payment = "kiosk" });
        await Eventually.TrueAsync(async () => (await MessagesAsync(another)).Count == 1, Patience, "the second shopper's message");

        var admin = await shop.SignedInAsync(shop.AdminLogin);
        var failed = admin.Locator("[data-testid=deliveries] li[data-status=Failed]").First;
        var delivered = admin.Locator("[data-testid=deliveries] li:not([data-status=Failed])").First;
        for (var attempt = 0; attempt < 30 && !(await failed.IsVisibleAsync() && await delivered.IsVisibleAsync()); attempt++)
        {
            await admin.GotoAsync($"/admin/pesan?koperasi={shop.CooperativeId}");
        }

        await Expect(delivered).ToBeVisibleAsync();
        await Expect(admin.Locator("[data-testid=delivery-filter] a[aria-current=page]")).ToHaveTextAsync("Semua");
        await StorefrontStack.AccessibleAsync(admin, "deliveries-1-all");

        await admin.ClickAsync("[data-testid=delivery-filter] a:text-is('Gagal saja')");
        await Expect(admin.Locator("[data-testid=delivery-filter] a[aria-current=page]")).ToHaveTextAsync("Gagal saja");
        Assert.Equal(0, await admin.Locator("[data-testid=deliveries] li:not([data-status=Failed])").CountAsync());
        await Expect(failed.Locator("[data-testid=failure-reason]")).ToHaveTextAsync(
            "Nomor ini tidak bisa menerima pesan WhatsApp (mungkin tidak memakai WhatsApp). Hubungi orangnya dengan cara lain.");
        var page = await admin.Locator("main").InnerTextAsync();
        Assert.DoesNotContain("131026", page, StringComparison.Ordinal);
        Assert.DoesNotContain("undeliverable", page, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await admin.Locator("[data-testid=older]").CountAsync());
        await StorefrontStack.AccessibleAsync(admin, "deliveries-2-failed-only");

        await admin.ClickAsync("a[hreflang=en]");
        await Expect(failed.Locator("[data-testid=failure-reason]")).ToHaveTextAsync(
            "This number cannot receive WhatsApp messages (it may not use WhatsApp). Reach the person another way.");
        await Expect(admin.Locator("[data-testid=delivery-filter] a[aria-current=page]")).ToHaveTextAsync("Failed only");
        await StorefrontStack.ScreenshotAsync(admin, "deliveries-3-failed-only-in-english");
        await admin.ClickAsync("a[hreflang=id]");
    });

    private static string NewNumber() => $"62815{Random.Shared.Next(10_000_000, 99_999_999)}";

    private static string? Template(JsonElement message) => message.GetProperty("template_name").GetString();

    /// <summary>The number and the decoded prefilled text of a wa.me link.</summary>
    private static (string To, string Text) WaMe(string? href)
    {
        Assert.NotNull(href);
        var uri = new Uri(href);
        Assert.Equal("wa.me", uri.Host);
        Assert.StartsWith("?text=", uri.Query, StringComparison.Ordinal);
        return (uri.AbsolutePath.Trim('/'), Uri.UnescapeDataString(uri.Query["?text=".Length..]));
    }

    private async Task<List<JsonElement>> MessagesAsync(string number)
    {
        using var emulator = new HttpClient { BaseAddress = shop.Stack.WhatsAppAddress };
        return [.. (await emulator.GetFromJsonAsync<JsonElement>($"/_emulator/messages?to={number}")).EnumerateArray()];
    }

    private async Task AddToBasketAsync(Browser guest, Guid productId)
    {
        var product = await guest.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{productId}");
        var variant = product.GetProperty("variants")[0].GetProperty("id").GetGuid();
        (await guest.Http.PutAsJsonAsync($"/api/orders/baskets/{shop.CooperativeId}/lines/{variant}", new { productId, quantity = 1 })).EnsureSuccessStatusCode();
    }

    private async Task<Guid> CheckOutAsync(Browser guest, object checkout)
    {
        var placed = await guest.Http.PostAsJsonAsync($"/api/orders/baskets/{shop.CooperativeId}/checkout", checkout);
        Assert.True(placed.IsSuccessStatusCode, await placed.Content.ReadAsStringAsync());
        return (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static Task<JsonElement> OrderWhenAsync(Browser guest, Guid orderId, string status, Func<JsonElement, bool>? and = null) =>
        Eventually.GetAsync(
            () => guest.Http.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}"),
            o => o.GetProperty("status").GetString() == status && (and is null || and(o)),
            Patience,
            $"the order to be {status}");

    /// <summary>The member marks her own line of the order prepared, as her portal does.</summary>
    private static async Task MarkMyLineReadyAsync(Browser member, Guid orderId)
    {
        var lines = await Eventually.GetAsync(
            () => member.Http.GetFromJsonAsync<JsonElement>("/api/orders/members/me/lines"),
            l => l.EnumerateArray().Any(x => x.GetProperty("orderId").GetGuid() == orderId),
            Patience,
            "the member to see her line of the paid order");
        var line = lines.EnumerateArray().First(l => l.GetProperty("orderId").GetGuid() == orderId);
        var ready = await member.Http.PostAsync(new Uri($"/api/orders/orders/{orderId}/lines/{line.GetProperty("lineId").GetGuid()}/ready", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NoContent, ready.StatusCode);
    }
}
