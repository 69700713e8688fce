using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>The admin reads who did what as sentences in her language, filters by kind, and checks the records are whole.</summary>
[Collection(StorefrontCollection.Name)]
public sealed class AuditBrowserTests(StorefrontStack shop)
{
    [Fact]
    public Task The_admin_reads_the_trail_in_words_filters_it_and_checks_it_is_intact() => shop.CapturingFailureAsync(async () =>
    {
        var name = $"Kerupuk Ikan Jejak {StorefrontStack.Letters(4)}";
        var product = await shop.PublishAsync(shop.Member, "kerupuk", name, 21_000);
        var variant = (await shop.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{product.Id}")).GetProperty("variants")[0].GetProperty("id").GetGuid();
        var adjusted = await shop.Admin.Http.PutAsJsonAsync($"/api/catalog/products/{product.Id}/variants/{variant}/stock", new { onHand = 48, reason = "Dua bungkus sobek" });
        Assert.True(adjusted.IsSuccessStatusCode, await adjusted.Content.ReadAsStringAsync());

        var admin = await shop.SignedInAsync(shop.AdminLogin);
        await admin.GotoAsync("/admin/jejak");
        var entries = admin.Locator("[data-testid=audit-entries] li");
        await Expect(entries.Filter(new() { HasText = $"Menyetujui produk «{name}»" })).ToContainTextAsync("Bu Ketua (pengurus)");
        var stock = entries.Filter(new() { HasText = $"Mengubah stok «{name}»: 50 → 48 unit" });
        await Expect(stock).ToContainTextAsync("Alasan: Dua bungkus sobek");
        // Nothing of the services' own words reaches the page: no action codes, no field names.
        await Expect(admin.Locator("main")).Not.ToContainTextAsync("stock.adjusted");
        await Expect(admin.Locator("main")).Not.ToContainTextAsync("onHand");
        await StorefrontStack.AccessibleAsync(admin, "audit-1-trail");

        await admin.ClickAsync("[data-testid=audit-filter] a:text-is('Stok')");
        await Expect(entries.First).ToBeVisibleAsync();
        await Expect(entries.Filter(new() { HasText = "Menyetujui produk" })).ToHaveCountAsync(0);
        await Expect(stock).ToHaveCountAsync(1);

        await admin.ClickAsync("[data-testid=run-check]");
        var checks = admin.Locator("[data-testid=audit-checks] li");
        await Expect(checks).ToHaveCountAsync(4);
        await Expect(admin.Locator("[data-testid=audit-checks] li[data-intact=true]")).ToHaveCountAsync(4);
        await Expect(checks.First).ToContainTextAsync("utuh");
        await StorefrontStack.AccessibleAsync(admin, "audit-2-checked");
    });
}
