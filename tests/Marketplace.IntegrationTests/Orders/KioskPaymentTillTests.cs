using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Orders.Settlement.Data;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>
/// Cash taken at the kiosk for an order placed online (pay at the kiosk), and given back for it, goes through the till:
/// the session expects it, a correct count shows no difference, and the ledger has the cash once.
/// </summary>
public sealed class KioskPaymentTillTests(Shop shop) : IClassFixture<Shop>
{
    [Fact]
    public async Task Cash_for_an_online_order_paid_and_refunded_at_the_kiosk_is_expected_by_the_till_and_booked_once()
    {
        var stall = await shop.OpenStallAsync("kios-laci", stock: 5, price: 30_000);
        var admin = stall.OrdersAdmin;
        var shopper = shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 2, payment: "kiosk")).GetProperty("id").GetGuid();
        await Shop.OrderWhenAsync(shopper, orderId, "awaitingKioskPayment");
        var payment = $"/api/orders/kiosk/{stall.CooperativeId}/orders/{orderId}/payment";

        var withoutTill = await admin.PostAsJsonAsync(payment, new { method = "cash" });
        var session = await Counter.OpenTillAsync(admin, stall.CooperativeId, floatRupiah: 50_000);
        var paid = await admin.PostAsJsonAsync(payment, new { method = "cash", tillSessionId = session });

        Assert.Equal(HttpStatusCode.BadRequest, withoutTill.StatusCode);
        Assert.Equal("till_session_required", (await withoutTill.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fieldCodes").GetProperty("tillSessionId")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var x = await admin.GetFromJsonAsync<JsonElement>($"/api/orders/kiosk/{stall.CooperativeId}/till-sessions/{session}");
        // In the drawer, but not a walk-in sale: the report counts it apart.
        Assert.Equal((60_000L, 1, 110_000L), (x.GetProperty("kioskPaymentsRupiah").GetInt64(), x.GetProperty("kioskPaymentsCount").GetInt32(), x.GetProperty("expectedCashRupiah").GetInt64()));
        Assert.Equal((0L, 0), (x.GetProperty("cashSalesRupiah").GetInt64(), x.GetProperty("cashSalesCount").GetInt32()));

        // One packet comes back: its cash leaves the same drawer, and only from an open till.
        var lineId = (await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}")).GetProperty("lines")[0].GetProperty("id").GetGuid();
        var refundWithoutTill = await RefundAsync(admin, orderId, "kios-kembali-1", lineId, tillSessionId: null);
        var refunded = await RefundAsync(admin, orderId, "kios-kembali-2", lineId, session);

        Assert.Equal("till_session_required", (await refundWithoutTill.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fieldCodes").GetProperty("tillSessionId")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, refunded.StatusCode);
        var refundId = (await refunded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // 50 000 float + 60 000 paid - 30 000 refunded: counted exactly, there is no difference to book.
        var closed = await admin.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/till-sessions/{session}/close", new { countedRupiah = 80_000, note = "" });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var z = await closed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((80_000L, 0L, 30_000L, false), (z.GetProperty("expectedCashRupiah").GetInt64(), z.GetProperty("differenceRupiah").GetInt64(),
            z.GetProperty("cashRefundsRupiah").GetInt64(), z.GetProperty("awaitsReview").GetBoolean()));

        Assert.Equal(60_000, await Counter.PostedAsync(shop, $"sale:{orderId}", "received:cash"));
        Assert.Equal(-30_000, await Counter.PostedAsync(shop, $"refund:{refundId}", "refunds:cash"));
        var (cash, difference, balanced) = await BooksOnceDifferencePostedAsync(stall.CooperativeId, session);
        Assert.Equal((30_000L, 0L, 0L), (cash, difference, balanced));
    }

    [Fact]
    public async Task A_paid_kiosk_order_cancelled_by_the_admin_gives_its_cash_back_from_an_open_till_only()
    {
        var stall = await shop.OpenStallAsync("kios-batal", stock: 5, price: 20_000);
        var admin = stall.OrdersAdmin;
        var shopper = shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 1, payment: "kiosk")).GetProperty("id").GetGuid();
        await Shop.OrderWhenAsync(shopper, orderId, "awaitingKioskPayment");
        var session = await Counter.OpenTillAsync(admin, stall.CooperativeId, floatRupiah: 0);
        (await admin.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/orders/{orderId}/payment", new { method = "cash", tillSessionId = session })).EnsureSuccessStatusCode();

        var withoutTill = await admin.PostAsync(new Uri($"/api/orders/orders/{orderId}/cancel", UriKind.Relative), null);
        var cancelled = await admin.PostAsync(new Uri($"/api/orders/orders/{orderId}/cancel?tillSessionId={session}", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.BadRequest, withoutTill.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", (await cancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var x = await admin.GetFromJsonAsync<JsonElement>($"/api/orders/kiosk/{stall.CooperativeId}/till-sessions/{session}");
        Assert.Equal((20_000L, 20_000L, 0L), (x.GetProperty("kioskPaymentsRupiah").GetInt64(), x.GetProperty("cashRefundsRupiah").GetInt64(), x.GetProperty("expectedCashRupiah").GetInt64()));
        Assert.Equal(0L, x.GetProperty("cashSalesRupiah").GetInt64());
    }

    private static async Task<HttpResponseMessage> RefundAsync(HttpClient admin, Guid orderId, string key, Guid lineId, Guid? tillSessionId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/orders/orders/{orderId}/refunds", UriKind.Relative))
        {
            Content = JsonContent.Create(new { lines = new[] { new { lineId, quantity = 1 } }, shipping = false, tillSessionId }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await admin.SendAsync(request);
    }

    /// <summary>
    /// Once the closing's difference is posted: the cooperative's cash in hand (cash received less cash refunded), what
    /// its till differences hold, and the sum of all its lines (zero when every entry balances).
    /// </summary>
    private async Task<(long Cash, long Difference, long Balanced)> BooksOnceDifferencePostedAsync(Guid cooperativeId, Guid session)
    {
        (long, long, long) books = default;
        await Eventually.TrueAsync(async () =>
        {
            await using var scope = shop.Orders.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<SettlementDbContext>();
            var lines = await db.JournalEntries.AsNoTracking().Where(e => e.CooperativeId == cooperativeId).SelectMany(e => e.Lines).ToListAsync();
            books = (lines.Where(l => l.Account is "received:cash" or "refunds:cash").Sum(l => l.AmountRupiah), lines.Where(l => l.Account == "till:difference").Sum(l => l.AmountRupiah),
                lines.Sum(l => l.AmountRupiah));
            return await db.TillDifferences.AnyAsync(t => t.TillSessionId == session && t.Revision == 1);
        }, TimeSpan.FromSeconds(30), "the closing's difference to be handled by settlement");
        return books;
    }
}
