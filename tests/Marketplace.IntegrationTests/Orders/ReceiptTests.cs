using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using UglyToad.PdfPig;

namespace Marketplace.IntegrationTests;

/// <summary>
/// A paid order's receipt (bukti pembayaran, or a kuitansi in an institution's name): only its buyer and her
/// cooperative's admins get it, its figures are the order's less its refunds, and the cooperative's NPWP is checked.
/// </summary>
public sealed class ReceiptTests(Shop shop) : IClassFixture<Shop>
{
    [Fact]
    public async Task Only_the_buyer_and_the_cooperatives_admins_get_the_receipt_and_its_figures_are_the_orders_less_refunds()
    {
        var stall = await shop.OpenStallAsync("kuitansi-akses", price: 25_000);
        var buyer = shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(buyer, stall, 3, payment: "kiosk")).GetProperty("id").GetGuid();
        await Shop.OrderWhenAsync(buyer, orderId, "awaitingKioskPayment");
        var beforePaying = await buyer.GetAsync(Pdf(orderId));
        (await stall.OrdersAdmin.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/orders/{orderId}/payment", new { method = "qris", reference = "QR-1" })).EnsureSuccessStatusCode();
        var order = await buyer.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}");
        using var refund = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/orders/orders/{orderId}/refunds", UriKind.Relative))
        {
            Content = JsonContent.Create(new { lines = new[] { new { lineId = order.GetProperty("lines")[0].GetProperty("id").GetGuid(), quantity = 1 } }, shipping = false,
                // Paid by QRIS, given back in cash: from a drawer that holds some.
                tillSessionId = await Counter.OpenSessionAsync(stall.OrdersAdmin, stall.CooperativeId, floatRupiah: 100_000) }),
        };
        refund.Headers.Add("Idempotency-Key", "kembali-1");
        (await stall.OrdersAdmin.SendAsync(refund)).EnsureSuccessStatusCode();
        var badNpwp = await stall.OrdersAdmin.PutAsJsonAsync($"/api/orders/merchants/{stall.CooperativeId}/receipt-details", new { address = "Jl. Raya Binor 1", npwp = "01.234.567" });
        var byMember = await stall.Member.PutAsJsonAsync($"/api/orders/merchants/{stall.CooperativeId}/receipt-details", new { address = "Jl. Lain", npwp = (string?)null });
        var details = await stall.OrdersAdmin.PutAsJsonAsync($"/api/orders/merchants/{stall.CooperativeId}/receipt-details", new { address = "Jl. Raya Binor 1, Paiton", npwp = "012345678901000" });

        var forBuyer = await buyer.GetAsync(Pdf(orderId));
        var forAdmin = await stall.OrdersAdmin.GetAsync(Pdf(orderId, "en"));
        var forAnotherGuest = await shop.NewShopper().GetAsync(Pdf(orderId));
        var forAnotherAccount = await shop.NewShopper(TestTokens.Shopper()).GetAsync(Pdf(orderId));
        var forAnotherCooperative = await shop.NewShopper(TestTokens.CooperativeAdmin(Guid.NewGuid())).GetAsync(Pdf(orderId));
        var forItsMember = await stall.Member.GetAsync(Pdf(orderId));

        Assert.Equal(HttpStatusCode.Conflict, beforePaying.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badNpwp.StatusCode);
        Assert.True((await badNpwp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("npwp", out _));
        Assert.Equal(HttpStatusCode.NotFound, byMember.StatusCode);
        Assert.Equal("01.234.567.8-901.000", (await details.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("npwpDisplay").GetString());
        Assert.Equal(HttpStatusCode.OK, forBuyer.StatusCode);
        Assert.Equal("application/pdf", forBuyer.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, forAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, forAnotherGuest.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, forAnotherAccount.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, forAnotherCooperative.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, forItsMember.StatusCode);

        var paid = await buyer.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}");
        var total = paid.GetProperty("totalRupiah").GetInt64();
        var refunded = paid.GetProperty("refundedRupiah").GetInt64();
        Assert.Equal(75_000, total);
        Assert.Equal(25_000, refunded);
        var text = TextOf(await forBuyer.Content.ReadAsByteArrayAsync());
        Assert.Contains("Koperasi kuitansi-akses", text, StringComparison.Ordinal);
        Assert.Contains("Jl. Raya Binor 1, Paiton", text, StringComparison.Ordinal);
        Assert.Contains("NPWP 01.234.567.8-901.000", text, StringComparison.Ordinal);
        Assert.Contains("Total pesanan" + Rp(total), text, StringComparison.Ordinal);
        Assert.Contains(Rp(-refunded), text, StringComparison.Ordinal);
        Assert.Contains("Dibayar bersih" + Rp(total - refunded), text, StringComparison.Ordinal);
        Assert.Contains("Terbilang: Lima puluh ribu rupiah", text, StringComparison.Ordinal);
        Assert.Contains("Dibayar dengan: QRIS di kios (ref. QR-1)", text, StringComparison.Ordinal);
        Assert.Contains("Net paid" + Rp(total - refunded), TextOf(await forAdmin.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_buyer_has_the_receipt_made_out_to_her_institution_and_it_comes_out_the_same_each_time()
    {
        var stall = await shop.OpenStallAsync("kuitansi-instansi", price: 125_000);
        var buyer = shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(buyer, stall, 1, payment: "kiosk")).GetProperty("id").GetGuid();
        await Shop.OrderWhenAsync(buyer, orderId, "awaitingKioskPayment");
        var unpaid = await buyer.PutAsJsonAsync($"/api/orders/orders/{orderId}/kuitansi", new { institution = "Dinas Pariwisata" });
        (await stall.OrdersAdmin.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/orders/{orderId}/payment", new { method = "qris", reference = "QR-9" })).EnsureSuccessStatusCode();

        var wrong = await buyer.PutAsJsonAsync($"/api/orders/orders/{orderId}/kuitansi", new { institution = " ", npwp = "12-34" });
        var byStranger = await shop.NewShopper().PutAsJsonAsync($"/api/orders/orders/{orderId}/kuitansi", new { institution = "Orang lain" });
        var none = await buyer.GetAsync(new Uri($"/api/orders/orders/{orderId}/kuitansi", UriKind.Relative));
        var made = await buyer.PutAsJsonAsync($"/api/orders/orders/{orderId}/kuitansi",
            new { institution = "Dinas Pariwisata Kabupaten Probolinggo", address = "Jl. Panglima Sudirman 134, Kraksaan", npwp = "00.111.222.3-444.000", purpose = "cendera mata tamu dinas" });
        var first = TextOf(await (await buyer.GetAsync(Pdf(orderId))).Content.ReadAsByteArrayAsync());
        var second = TextOf(await (await stall.OrdersAdmin.GetAsync(Pdf(orderId))).Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.Conflict, unpaid.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var errors = (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("institution", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("npwp", out _), errors.ToString());
        Assert.Equal(HttpStatusCode.NotFound, byStranger.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, none.StatusCode);
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var kuitansi = await buyer.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}/kuitansi");
        Assert.Equal("Dinas Pariwisata Kabupaten Probolinggo", kuitansi.GetProperty("institution").GetString());
        Assert.Equal("001112223444000", kuitansi.GetProperty("npwp").GetString());
        Assert.Contains("KUITANSI", first, StringComparison.Ordinal);
        Assert.Contains("Sudah terima dari: Dinas Pariwisata Kabupaten Probolinggo", first, StringComparison.Ordinal);
        Assert.Contains("NPWP 00.111.222.3-444.000", first, StringComparison.Ordinal);
        Assert.Contains("Untuk pembayaran: cendera mata tamu dinas", first, StringComparison.Ordinal);
        Assert.Contains("Uang sejumlah: Rp 125.000", first, StringComparison.Ordinal);
        Assert.Contains("Terbilang: Seratus dua puluh lima ribu rupiah", first, StringComparison.Ordinal);
        Assert.Equal(first, second);

        var trail = await stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/orders/audit?cooperativeId={stall.CooperativeId}&action=order.kuitansi-requested");
        var entry = Assert.Single(trail.GetProperty("entries").EnumerateArray());
        Assert.Equal(orderId.ToString(), entry.GetProperty("subjectId").GetString());
    }

    [Fact]
    public async Task A_walk_in_sales_A4_receipt_goes_with_its_receipt_links_key_and_names_its_nota_number()
    {
        var stall = await shop.OpenStallAsync("kuitansi-kios", price: 25_000);
        var clerk = Counter.Clerk(shop, stall.CooperativeId);
        var session = await Counter.OpenTillAsync(clerk, stall.CooperativeId, floatRupiah: 50_000);
        var sale = await (await clerk.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/sales",
            Counter.Sale(Guid.NewGuid(), stall, quantity: 2, price: 25_000, "cash", tendered: 50_000, session: session))).Content.ReadFromJsonAsync<JsonElement>();
        var orderId = sale.GetProperty("orderId").GetGuid();
        var key = System.Web.HttpUtility.ParseQueryString(new Uri(sale.GetProperty("receiptUrl").GetString()!).Query)["key"]!;
        var anonymous = new HttpClient { BaseAddress = shop.OrdersAddress };

        var withKey = await anonymous.GetAsync(new Uri($"/api/orders/orders/{orderId}/receipt.pdf?key={key}", UriKind.Relative));
        var wrongKey = await anonymous.GetAsync(new Uri($"/api/orders/orders/{orderId}/receipt.pdf?key={(key[0] == '0' ? '1' : '0')}{key[1..]}", UriKind.Relative));
        var noKey = await anonymous.GetAsync(Pdf(orderId));

        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noKey.StatusCode);
        var text = TextOf(await withKey.Content.ReadAsByteArrayAsync());
        Assert.Contains("Nomor: " + sale.GetProperty("receiptNumber").GetString(), text, StringComparison.Ordinal);
        Assert.Contains("Uang sejumlah: Rp 50.000", text, StringComparison.Ordinal);
        Assert.Contains("Dibayar dengan: tunai di kios", text, StringComparison.Ordinal);
    }

    private static Uri Pdf(Guid orderId, string? lang = null) =>
        new($"/api/orders/orders/{orderId}/receipt.pdf" + (lang is null ? "" : "?lang=" + lang), UriKind.Relative);

    private static string Rp(long amount) => Marketplace.ServiceDefaults.Formatting.Rupiah.Display(amount);

    private static string TextOf(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Concat(document.GetPages().Select(p => p.Text));
    }
}
