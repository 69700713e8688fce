using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// A member sees on her phone what she earned this month after the cooperative's fee, her goods' cost and her other
/// costs, and records a cost. Shares the one running marketplace of the "Storefront" collection: other tests sell to
/// her too, so the figures are checked against her report, and the cost's effect exactly.
/// </summary>
[Collection("Storefront")]
public sealed class LabaBrowserTests(StorefrontStack shop)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public Task A_member_sees_her_laba_for_the_month_on_her_phone_and_records_a_cost() => shop.CapturingFailureAsync(async () =>
    {
        // She brings a pack that cost her Rp 15.000 and expires before any other; the kiosk receives it.
        await BringAPackAsync(costPerUnit: 15_000);
        await SellToTheMemberAsync();
        // Catalog takes the sold pack from the batch that expires first, at the cost she recorded, and tells Settlement.
        await Eventually.TrueAsync(async () => (await ReportAsync()).GetProperty("totals").GetProperty("costOfGoodsRupiah").GetInt64() >= 15_000, Patience,
            "the goods' cost to reach her report");

        var member = await shop.SignedInAsync(shop.MemberLogin);
        await member.GotoAsync("/anggota");
        await member.ClickAsync("nav.portal-nav a:has-text('Laba & biaya')");
        await StorefrontStack.ArrivedAtAsync(member, "**/anggota/laba");
        // An earlier test's sale to her may still be on its way to her books: her page and her report are compared once
        // both have it (the page read again), not against a report read before it arrived.
        var before = default(JsonElement);
        await Eventually.TrueAsync(
            async () =>
            {
                before = (await ReportAsync()).GetProperty("totals");
                await member.ReloadAsync();
                return await member.Locator("[data-testid=laba]").InnerTextAsync() == Rupiah.Display(before.GetProperty("labaRupiah").GetInt64())
                    && await member.Locator("[data-testid=omzet]").InnerTextAsync() == Rupiah.Display(before.GetProperty("omzetRupiah").GetInt64());
            },
            Patience,
            "her laba page to show her report's figures");
        await Expect(member.Locator("[data-testid=laba]")).ToHaveTextAsync(Rupiah.Display(before.GetProperty("labaRupiah").GetInt64()));
        await Expect(member.Locator("[data-testid=omzet]")).ToHaveTextAsync(Rupiah.Display(before.GetProperty("omzetRupiah").GetInt64()));
        await Expect(member.Locator("[data-testid=cogs]")).ToContainTextAsync(Rupiah.Display(before.GetProperty("costOfGoodsRupiah").GetInt64()));
        await Expect(member.Locator("[data-testid=laba-product]", new PageLocatorOptions { HasText = shop.FishCrackers.Name })).ToContainTextAsync("Rp");
        await Expect(member.Locator("figure.chart")).ToContainTextAsync("Laba per bulan");
        // The chart's month and amount are read on a phone: at least 12 px, as the page's small print.
        var chartTextPixels = await member.Locator("figure.chart table.bars th, figure.chart table.bars .amount")
            .EvaluateAllAsync<double[]>("cells => cells.map(c => parseFloat(getComputedStyle(c).fontSize) * (c.getBoundingClientRect().width > 0 ? 1 : 0))");
        Assert.NotEmpty(chartTextPixels);
        Assert.All(chartTextPixels, size => Assert.InRange(size, 12, 40));
        await StorefrontStack.FitsThePhoneAsync(member, "the laba page");
        await StorefrontStack.AccessibleAsync(member, "laba-1-member-month");

        // A cost without an amount and with a note too long: both told at their fields, what she typed kept.
        await member.SelectOptionAsync("#cost-category", "packaging");
        // The field stops typing at 200; a pasted longer note (an old browser) is refused by the books.
        await member.EvaluateAsync("document.querySelector('#cost-note').removeAttribute('maxlength')");
        await member.FillAsync("#cost-note", new string('x', 201));
        await member.ClickAsync("button:has-text('Simpan biaya')");
        await Expect(member.Locator("#cost-amount-error")).ToHaveTextAsync("Tulis jumlahnya dalam rupiah, lebih dari 0.");
        await Expect(member.Locator("#cost-note-error")).ToHaveTextAsync("Catatan paling banyak 200 huruf.");
        await Expect(member.Locator("#cost-category")).ToHaveValueAsync("packaging");
        await StorefrontStack.AccessibleAsync(member, "laba-2-cost-mistakes");

        await member.FillAsync("#cost-amount", "7500");
        await member.FillAsync("#cost-note", "Plastik dan label");
        await member.ClickAsync("button:has-text('Simpan biaya')");
        await StorefrontStack.ArrivedAtAsync(member, "**/anggota/laba?bulan=*notice=cost-saved*");
        await Expect(member.Locator(".alert.ok")).ToContainTextAsync("Biaya dicatat");
        var cost = member.Locator("[data-testid=cost]", new PageLocatorOptions { HasText = "Plastik dan label" });
        await Expect(cost).ToContainTextAsync("Kemasan");
        await Expect(cost).ToContainTextAsync("Rp 7.500");
        var after = (await ReportAsync()).GetProperty("totals");
        // Exactly her cost more, whatever else the other tests sold meanwhile.
        Assert.Equal(before.GetProperty("otherCostsRupiah").GetInt64() + 7_500, after.GetProperty("otherCostsRupiah").GetInt64());
        await Expect(member.Locator("[data-testid=laba]")).ToHaveTextAsync(Rupiah.Display(after.GetProperty("labaRupiah").GetInt64()));
        await Expect(member.Locator("[data-testid=other-costs]")).ToContainTextAsync(Rupiah.Display(after.GetProperty("otherCostsRupiah").GetInt64()));
        await StorefrontStack.AccessibleAsync(member, "laba-3-cost-recorded");

        // Deleted with a reason: it no longer counts, and stays listed as deleted.
        await cost.Locator("input[name=reason]").FillAsync("Salah catat");
        await cost.Locator("button:has-text('Hapus')").ClickAsync();
        await Expect(member.Locator(".alert.ok")).ToContainTextAsync("Biaya dihapus");
        await Expect(member.Locator("[data-testid=cost]", new PageLocatorOptions { HasText = "Salah catat" })).ToContainTextAsync("dihapus");
        Assert.Equal(before.GetProperty("otherCostsRupiah").GetInt64(), (await ReportAsync()).GetProperty("totals").GetProperty("otherCostsRupiah").GetInt64());
        await StorefrontStack.AccessibleAsync(member, "laba-4-cost-deleted");

        var csv = await member.RunAndWaitForDownloadAsync(() => member.ClickAsync("a:has-text('CSV')"));
        Assert.Contains(shop.FishCrackers.Name, await File.ReadAllTextAsync(await csv.PathAsync()), StringComparison.Ordinal);
    });

    [Fact]
    public Task The_admin_records_a_cost_of_the_cooperative_and_the_SHU_is_shared_from_the_surplus_in_the_books() => shop.CapturingFailureAsync(async () =>
    {
        var year = LocalTime.Today(DateTimeOffset.UtcNow).Year;
        var admin = await shop.SignedInAsync(shop.AdminLogin);
        await admin.GotoAsync("/admin/laporan");
        await admin.SelectOptionAsync("#cost-category", "rent");
        await admin.FillAsync("#cost-amount", "1250");
        await admin.FillAsync("#cost-note", "Sewa rak kios");
        await admin.ClickAsync("form:has(#cost-amount) button[type=submit]");
        await StorefrontStack.ArrivedAtAsync(admin, "**/admin/laporan?notice=cost-saved*");
        await Expect(admin.Locator("[data-testid=coop-costs]")).ToContainTextAsync("Sewa rak kios");

        var books = await shop.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/settlement/cooperatives/{shop.CooperativeId}/reports/year?year={year}");
        Assert.True(books.GetProperty("costsRupiah").GetInt64() >= 1_250);
        await Expect(admin.Locator("[data-testid=income]")).ToHaveTextAsync(Rupiah.Display(books.GetProperty("incomeRupiah").GetInt64()));
        await Expect(admin.Locator("[data-testid=surplus]")).ToHaveTextAsync(Rupiah.Display(books.GetProperty("surplusRupiah").GetInt64()));
        await Expect(admin.Locator("#surplus")).ToHaveCountAsync(0);

        await admin.FillAsync("#year", year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await admin.ClickAsync("button:has-text('Hitung')");
        await Expect(admin.Locator("[data-testid=shu-surplus]")).ToContainTextAsync(Rupiah.Display(books.GetProperty("surplusRupiah").GetInt64()));
        await StorefrontStack.FitsThePhoneAsync(admin, "the reports page");
        await StorefrontStack.AccessibleAsync(admin, "laba-5-admin-year-and-shu");
    });

    private async Task<JsonElement> ReportAsync() => await shop.Member.Http.GetFromJsonAsync<JsonElement>("/api/settlement/members/me/laba");

    private async Task BringAPackAsync(long costPerUnit)
    {
        var product = await shop.Member.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{shop.FishCrackers.Id}");
        var variant = product.GetProperty("variants")[0].GetProperty("id").GetGuid();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var announced = await shop.Member.Http.PostAsJsonAsync("/api/catalog/deliveries", new
        {
            lines = new[] { new { variantId = variant, quantity = 1, producedOn = today.AddDays(-1), expiresOn = today.AddDays(2), costPerUnitRupiah = costPerUnit } },
        });
        Assert.True(announced.IsSuccessStatusCode, await announced.Content.ReadAsStringAsync());
        var delivery = await announced.Content.ReadFromJsonAsync<JsonElement>();
        var received = await shop.Admin.Http.PostAsJsonAsync($"/api/catalog/deliveries/{delivery.GetProperty("id").GetGuid()}/receive", new
        {
            lines = new[] { new { lineNo = delivery.GetProperty("lines")[0].GetProperty("lineNo").GetInt32(), accepted = 1 } },
        });
        Assert.True(received.IsSuccessStatusCode, await received.Content.ReadAsStringAsync());
    }

    private async Task<(Guid OrderId, Guid ProductId, Guid VariantId)> SellToTheMemberAsync()
    {
        using var shopper = shop.Stack.NewBrowser();
        var product = await shopper.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{shop.FishCrackers.Id}");
        var variant = product.GetProperty("variants")[0].GetProperty("id").GetGuid();
        (await shopper.Http.PutAsJsonAsync($"/api/orders/baskets/{shop.CooperativeId}/lines/{variant}", new { productId = shop.FishCrackers.Id, quantity = 1 })).EnsureSuccessStatusCode();
        var placed = await shopper.Http.PostAsJsonAsync($"/api/orders/baskets/{shop.CooperativeId}/checkout",
            new { name = "Pembeli Kios", whatsApp = "0812 1111 3333", fulfilment = "pickup", pickupDate = StorefrontStack.Tomorrow(), payment = "kiosk" });
        Assert.True(placed.IsSuccessStatusCode, await placed.Content.ReadAsStringAsync());
        var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await Eventually.TrueAsync(
            async () => (await shopper.Http.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}")).GetProperty("status").GetString() == "awaitingKioskPayment",
            Patience,
            "the stock to be held");
        (await shop.Admin.Http.PostAsJsonAsync($"/api/orders/kiosk/{shop.CooperativeId}/orders/{orderId}/payment", new { method = "cash", tillSessionId = await Counter.OpenSessionAsync(shop.Admin.Http, shop.CooperativeId) })).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(
            async () => (await shop.Member.Http.GetFromJsonAsync<JsonElement>("/api/settlement/members/me/laba")).GetProperty("totals").GetProperty("omzetRupiah").GetInt64() >= 25_000,
            Patience,
            "the sale to reach her books");
        return (orderId, shop.FishCrackers.Id, variant);
    }
}
