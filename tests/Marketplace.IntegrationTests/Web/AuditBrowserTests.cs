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
        var threshold = await shop.Member.Http.PutAsJsonAsync($"/api/catalog/products/{product.Id}/variants/{variant}/low-stock", new { threshold = 6 });
        Assert.True(threshold.IsSuccessStatusCode, await threshold.Content.ReadAsStringAsync());

        var admin = await shop.SignedInAsync(shop.AdminLogin);
        await admin.GotoAsync("/admin/jejak");
        var entries = admin.Locator("[data-testid=audit-entries] li");
        await Expect(entries.Filter(new() { HasText = $"Menyetujui produk «{name}»" })).ToContainTextAsync("Bu Ketua (pengurus)");
        var stock = entries.Filter(new() { HasText = $"Mengubah stok «{name}»: 50 → 48 unit" });
        await Expect(stock).ToContainTextAsync("Alasan: Dua bungkus sobek");
        await Expect(entries.Filter(new() { HasText = $"Batas stok menipis «{name}» 250 g: tidak ada → 6 unit" })).ToHaveCountAsync(1);
        // Nothing of the services' own words reaches the page: no action codes, no field names.
        await Expect(admin.Locator("main")).Not.ToContainTextAsync("stock.adjusted");
        await Expect(admin.Locator("main")).Not.ToContainTextAsync("onHand");
        await Expect(admin.Locator("main")).Not.ToContainTextAsync("threshold");
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

    [Fact]
    public Task Paging_back_through_the_trail_shows_every_record_once() => shop.CapturingFailureAsync(async () =>
    {
        // A till of its own (others' tests use the kiosk's), 60 cash movements: more than a page of 50 records.
        var admin = shop.Admin.Http;
        var created = await admin.PostAsJsonAsync($"/api/orders/kiosk/{shop.CooperativeId}/tills", new { name = $"Meja Uji {StorefrontStack.Letters(4)}" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var till = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var session = await Marketplace.IntegrationTests.Counter.OpenTillAsync(admin, shop.CooperativeId, floatRupiah: 10_000, tillId: till);
        var run = StorefrontStack.Letters(5);
        var reasons = Enumerable.Range(1, 60).Select(i => $"Setoran {run} nomor {i:D2}.").ToList();
        foreach (var reason in reasons)
        {
            var moved = await admin.PostAsJsonAsync($"/api/orders/kiosk/{shop.CooperativeId}/till-sessions/{session}/cash-movements",
                new { amountRupiah = 1_000L, direction = "in", reason });
            Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync());
        }

        var closed = await admin.PostAsJsonAsync($"/api/orders/kiosk/{shop.CooperativeId}/till-sessions/{session}/close", new { countedRupiah = 70_000L, note = (string?)null });
        Assert.True(closed.IsSuccessStatusCode, await closed.Content.ReadAsStringAsync());

        var browser = await shop.SignedInAsync(shop.AdminLogin);
        await browser.GotoAsync("/admin/jejak?jenis=uang");
        var seen = new List<string>();
        var reasonsSeen = new List<string>();
        for (var page = 1; ; page++)
        {
            var entries = browser.Locator("[data-testid=audit-entries] li");
            await Expect(entries.First).ToBeVisibleAsync();
            seen.AddRange((await entries.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.record)")));
            reasonsSeen.AddRange((await entries.AllTextContentsAsync()).SelectMany(text => reasons.Where(r => text.Contains(r, StringComparison.Ordinal))));
            var older = browser.Locator("[data-testid=older]");
            if (await older.CountAsync() == 0 || reasonsSeen.Contains(reasons[0]))
            {
                break;
            }

            Assert.True(page < 40, "the trail kept offering older records");
            await older.ClickAsync();
            await StorefrontStack.ArrivedAtAsync(browser, "**sebelum=*");
        }

        Assert.Equal(seen.Count, seen.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(reasons.Order(StringComparer.Ordinal), reasonsSeen.Order(StringComparer.Ordinal));
    });
}
