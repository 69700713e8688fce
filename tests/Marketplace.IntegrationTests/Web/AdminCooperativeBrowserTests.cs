using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// The admin portal as the platform admin first meets it: she has no cooperative of her own, so she chooses one
/// (remembered from page to page), works its kiosk and orders, reviews its products, and registers a new cooperative
/// whose first admin she invites; that admin then lands in her own cooperative.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class AdminCooperativeBrowserTests(StorefrontStack shop)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public Task The_platform_admin_chooses_a_cooperative_and_finds_a_guests_kiosk_order_by_its_pickup_code() => shop.CapturingFailureAsync(async () =>
    {
        var (pickupCode, buyer) = await GuestOrdersForTheKioskAsync();
        var admin = await SignedInAsPlatformAdminAsync();

        // With no cooperative of her own, the kiosk first asks which one; choosing brings her back to the kiosk.
        await admin.GotoAsync("/admin/kiosk");
        await StorefrontStack.ArrivedAtAsync(admin, "**/admin/koperasi?kembali=*");
        var listed = admin.Locator($"[data-cooperative='{shop.Slug}']");
        await Expect(listed).ToBeVisibleAsync();
        await StorefrontStack.AccessibleAsync(admin, "coop-1-platform-admin-chooses");
        await listed.Locator("a").ClickAsync();
        await StorefrontStack.ArrivedAtAsync(admin, $"**/admin/kiosk?koperasi={shop.CooperativeId}");
        await Expect(admin.Locator("[data-testid=chosen-cooperative]")).ToHaveTextAsync($"Koperasi {shop.Slug}");

        await admin.FillAsync("#kode", pickupCode);
        await admin.ClickAsync("#find-order button[type=submit]");
        await Expect(admin.Locator("[data-status=AwaitingKioskPayment]")).ToBeVisibleAsync();
        await Expect(admin.Locator("[data-testid=buyer-name]")).ToHaveTextAsync(buyer);
        await Expect(admin.Locator("[data-testid=buyer-number]")).ToHaveTextAsync("+6281299990000");
        await StorefrontStack.AccessibleAsync(admin, "coop-2-kiosk-finds-guest-order");

        // The scan button shows only where the browser can read a QR code; typing the code works everywhere.
        var canScan = await admin.EvaluateAsync<bool>("() => 'BarcodeDetector' in window && !!navigator.mediaDevices");
        if (canScan)
        {
            await Expect(admin.Locator("#scan")).ToBeVisibleAsync();
        }
        else
        {
            await Expect(admin.Locator("#scan")).ToBeHiddenAsync();
        }

        // The choice is remembered: the orders page, opened without naming the cooperative, lists the same order.
        await admin.GotoAsync("/admin/pesanan");
        await Expect(admin.Locator("table")).ToContainTextAsync(pickupCode);
        await Expect(admin.Locator("table")).ToContainTextAsync(buyer);
        await StorefrontStack.FitsThePhoneAsync(admin, "the orders page");
        await StorefrontStack.AccessibleAsync(admin, "coop-3-orders-of-chosen-cooperative");

        // ... and its report links name it, never an empty cooperative.
        await admin.GotoAsync("/admin/laporan");
        await Expect(admin.Locator("a:has-text('CSV')")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex($"/cooperatives/{shop.CooperativeId}/"));
    });

    [Fact]
    public Task Only_the_kiosk_page_may_use_the_camera() => shop.CapturingFailureAsync(async () =>
    {
        var admin = await shop.SignedInAsync(shop.AdminLogin);

        var kiosk = await admin.GotoAsync("/admin/kiosk");
        var orders = await admin.GotoAsync("/admin/pesanan");
        var home = await admin.GotoAsync("/");

        Assert.Contains("camera=(self)", await kiosk!.HeaderValueAsync("permissions-policy"), StringComparison.Ordinal);
        Assert.Contains("camera=()", await orders!.HeaderValueAsync("permissions-policy"), StringComparison.Ordinal);
        Assert.Contains("camera=()", await home!.HeaderValueAsync("permissions-policy"), StringComparison.Ordinal);
    });

    [Fact]
    public Task A_cooperative_admin_lands_in_her_cooperative_and_the_review_queue_names_the_maker_and_the_missing_halal_certificate() => shop.CapturingFailureAsync(async () =>
    {
        var name = $"Kerupuk Udang Tanpa Halal {StorefrontStack.Letters(6)}";
        await SubmitWithoutHalalAsync(name);

        var admin = await shop.SignedInAsync(shop.AdminLogin);
        await admin.GotoAsync("/admin/produk");
        await Expect(admin.Locator("[data-testid=chosen-cooperative]")).ToHaveTextAsync($"Koperasi {shop.Slug}");
        var review = admin.Locator("article.review", new PageLocatorOptions { HasText = name });
        // Her own name, after her business name when she has given one (another test of the same stack may have).
        await Expect(review.Locator("[data-testid=maker]")).ToContainTextAsync("Bu Siti");
        await Expect(review.Locator("[data-flag=halal_not_certified]")).ToContainTextAsync("Belum bersertifikat halal");
        await Expect(review).Not.ToContainTextAsync("halal_not_certified");
        await StorefrontStack.AccessibleAsync(admin, "coop-4-review-queue-maker-and-flags");

        // A second admin approved it meanwhile: pressing approve on the stale page is refused in Indonesian words.
        var id = await review.GetAttributeAsync("aria-labelledby");
        (await shop.Admin.Http.PostAsync(new Uri($"/api/catalog/products/{id![2..]}/approve", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await review.Locator("button:has-text('Setujui')").ClickAsync();
        await Expect(admin.Locator(".alert.error[role=alert]")).ToContainTextAsync("sudah berubah sementara itu");
        await Expect(admin.Locator(".alert.error[role=alert]")).Not.ToContainTextAsync("review");
        await StorefrontStack.ScreenshotAsync(admin, "coop-4b-refusal-in-words");
    });

    [Fact]
    public Task The_platform_admin_registers_a_cooperative_and_invites_its_first_admin_who_then_works_in_it() => shop.CapturingFailureAsync(async () =>
    {
        var letters = StorefrontStack.Letters(6);
        var cooperativeName = $"Koperasi Wanita Pesisir {letters}";
        var admin = await SignedInAsPlatformAdminAsync();
        await admin.GotoAsync("/admin/koperasi");

        // A short address nobody could put in a link is refused at its field, and the name stays as typed.
        await admin.FillAsync("#name", cooperativeName);
        await admin.FillAsync("#slug", "Bukan Alamat!");
        await admin.ClickAsync("button:has-text('Daftarkan koperasi')");
        await Expect(admin.Locator("#slug ~ .field-error")).ToBeVisibleAsync();
        await Expect(admin.Locator("#name")).ToHaveValueAsync(cooperativeName);
        await StorefrontStack.ScreenshotAsync(admin, "coop-5-register-error-at-field");

        await admin.FillAsync("#slug", "");
        await admin.ClickAsync("button:has-text('Daftarkan koperasi')");
        await Expect(admin.Locator(".alert.ok")).ToContainTextAsync(cooperativeName);
        var listed = admin.Locator($"[data-cooperative='koperasi-wanita-pesisir-{letters}']");
        await Expect(listed).ToBeVisibleAsync();
        await Expect(admin.Locator("#invite-cooperative option:checked")).ToHaveTextAsync(cooperativeName);
        await StorefrontStack.AccessibleAsync(admin, "coop-6-registered");

        // The Gateway hears of the new cooperative a moment later: until then the page says to try again.
        await admin.FillAsync("#inviteeName", "Bu Ketua Baru");
        var code = await Eventually.GetAsync(
            async () =>
            {
                await admin.ClickAsync("button:has-text('Buat kode undangan admin')");
                var shown = admin.Locator("[data-testid=admin-invitation-code]");
                return await shown.CountAsync() > 0 ? (await shown.TextContentAsync())!.Trim() : null;
            },
            c => c is not null,
            Patience,
            because: "the Gateway to learn of the new cooperative");
        Assert.Matches("^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$", code);
        await StorefrontStack.AccessibleAsync(admin, "coop-7-first-admin-invited");

        // The invited admin joins with the code and, signing in, lands in her new cooperative.
        var login = $"ketua@pesisir-{letters}.test";
        (await shop.Stack.JoinAsync(code!, "Bu Ketua Baru", login)).Browser.Dispose();
        var newAdmin = await shop.SignedInAsync(login);
        await newAdmin.GotoAsync("/admin/pesanan");
        await Expect(newAdmin.Locator("[data-testid=chosen-cooperative]")).ToHaveTextAsync(cooperativeName);
        await Expect(newAdmin.Locator("main")).ToContainTextAsync("Tidak ada pesanan.");
        await StorefrontStack.AccessibleAsync(newAdmin, "coop-8-new-admin-in-her-cooperative");
    });

    private async Task<IPage> SignedInAsPlatformAdminAsync()
    {
        var page = await shop.NewPhoneAsync();
        await page.GotoAsync("/masuk");
        await page.FillAsync("#login", GatewayStack.PlatformAdminEmail);
        await page.FillAsync("#password", GatewayStack.PlatformAdminPassword);
        await page.ClickAsync("form.stacked button[type=submit]");
        await StorefrontStack.OnAccountPageAsync(page);
        return page;
    }

    /// <summary>A guest's basket ordered for pickup and payment at the kiosk, through the APIs; its pickup code and buyer.</summary>
    private async Task<(string PickupCode, string Buyer)> GuestOrdersForTheKioskAsync()
    {
        var buyer = $"Ibu Tamu {StorefrontStack.Letters(4)}";
        using var guest = shop.Stack.NewBrowser();
        var product = await guest.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{shop.PandanBag.Id}");
        var variant = product.GetProperty("variants")[0].GetProperty("id").GetGuid();
        (await guest.Http.PutAsJsonAsync($"/api/orders/baskets/{shop.CooperativeId}/lines/{variant}", new { productId = shop.PandanBag.Id, quantity = 1 })).EnsureSuccessStatusCode();
        var placed = await guest.Http.PostAsJsonAsync($"/api/orders/baskets/{shop.CooperativeId}/checkout",
            new { name = buyer, whatsApp = "0812 9999 0000", fulfilment = "pickup", pickupDate = StorefrontStack.Tomorrow(), payment = "kiosk" });
        Assert.True(placed.IsSuccessStatusCode, await placed.Content.ReadAsStringAsync());
        var order = await placed.Content.ReadFromJsonAsync<JsonElement>();
        var orderId = order.GetProperty("id").GetGuid();
        await Eventually.TrueAsync(
            async () => (await guest.Http.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}")).GetProperty("status").GetString() == "awaitingKioskPayment",
            Patience,
            "the stock to be held");
        return (order.GetProperty("pickupCode").GetString()!, buyer);
    }

    /// <summary>The member's crackers with a permit but no halal certificate, sent for review and left waiting.</summary>
    private async Task SubmitWithoutHalalAsync(string name)
    {
        var created = await shop.Member.Http.PostAsJsonAsync("/api/catalog/products", new
        {
            category = "kerupuk",
            listing = new
            {
                nameId = name,
                descriptionId = "Kerupuk udang rebon, dijemur di Pantai Binor.",
                packagingType = "Plastik klip",
                netContent = "200 g",
                shelfLifeDays = 120,
                pirtNumber = "2350101012345-29",
                pirtValidUntil = "2029-12-31",
            },
            variants = new[] { new { sku = "SKU-" + Guid.NewGuid().ToString("N")[..8], label = "200 g", priceRupiah = 20_000L, weightGrams = 250 } },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var submitted = await shop.Member.Http.PostAsync(new Uri($"/api/catalog/products/{id}/submit", UriKind.Relative), null);
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
    }
}
