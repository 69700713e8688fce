using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using Stripe;

namespace Marketplace.IntegrationTests;

/// <summary>
/// Stripe's fees reach the books: the emulator keeps 3.4% + Rp 2.000 of a card payment and Rp 1.000 of a refund, the
/// platform takes a 2% application fee, and the cooperative's ledger shows each as its cost, its members' shares untouched.
/// </summary>
public sealed class StripeFeeTests : IAsyncLifetime
{
    private readonly Shop _shop = new();

    public Task InitializeAsync()
    {
        _shop.EmulatorOverrides["Emulator:RefundFeeRupiah"] = "1000";
        _shop.ServiceOverrides["Stripe:ApplicationFeePercent"] = "2";
        return _shop.InitializeAsync();
    }

    public Task DisposeAsync() => _shop.DisposeAsync();

    [Fact]
    public async Task A_card_payment_and_its_refund_post_Stripes_fees_and_the_application_fee_as_the_cooperatives_cost_and_the_books_balance()
    {
        var stall = await _shop.OpenStallAsync("biaya-stripe", stock: 5, price: 25_000);
        var shopper = _shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 2)).GetProperty("id").GetGuid();
        var awaiting = await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment");
        Assert.Equal("Paid", await _shop.PayAsync(awaiting.GetProperty("checkoutUrl").GetString()!));
        var paid = await Shop.OrderWhenAsync(shopper, orderId, "paid");

        // Stripe's wire format, read through Stripe.net: the charge's balance transaction in hundredths of a rupiah.
        var stripe = new StripeClient(new StripeClientOptions { ApiKey = "sk_test_fees", ApiBase = _shop.StripeAddress.ToString().TrimEnd('/') });
        var account = new RequestOptions { StripeAccount = stall.StripeAccount };
        var checkoutUrl = awaiting.GetProperty("checkoutUrl").GetString()!;
        var session = await new Stripe.Checkout.SessionService(stripe).GetAsync(checkoutUrl[(checkoutUrl.LastIndexOf('/') + 1)..], null, account);
        var intent = await new PaymentIntentService(stripe).GetAsync(session.PaymentIntentId, null, account);
        var charge = await new ChargeService(stripe).GetAsync(intent.LatestChargeId, null, account);
        var sale = await new BalanceTransactionService(stripe).GetAsync(charge.BalanceTransactionId, null, account);
        Assert.Equal((5_000_000L, 470_000L, 4_530_000L, "idr"), (sale.Amount, sale.Fee, sale.Net, sale.Currency));
        Assert.Equal([("stripe_fee", 370_000L), ("application_fee", 100_000L)], sale.FeeDetails.Select(f => (f.Type, f.Amount)).ToArray());
        Assert.Equal(100_000, charge.ApplicationFeeAmount);

        var lineId = paid.GetProperty("lines")[0].GetProperty("id").GetGuid();
        using var refundRequest = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/orders/orders/{orderId}/refunds", UriKind.Relative))
        {
            Content = JsonContent.Create(new { lines = new[] { new { lineId, quantity = 1 } }, shipping = false }),
        };
        refundRequest.Headers.Add("Idempotency-Key", "satu-tas");
        var refunded = await stall.OrdersAdmin.SendAsync(refundRequest);
        Assert.Equal(HttpStatusCode.OK, refunded.StatusCode);
        var refunds = await new RefundService(stripe).ListAsync(new RefundListOptions { PaymentIntent = intent.Id }, account);
        var refundTransaction = await new BalanceTransactionService(stripe).GetAsync(Assert.Single(refunds.Data).BalanceTransactionId, null, account);
        Assert.Equal((-2_500_000L, 100_000L, -2_600_000L), (refundTransaction.Amount, refundTransaction.Fee, refundTransaction.Net));

        // Sale: 50.000 received, 5.000 the cooperative's 10% fee, 45.000 the member's. Stripe kept 3.700, the platform 1.000.
        // Refund of one bag: 25.000 back, 2.500 of the fee and 22.500 of her share reversed; Stripe kept 1.000 more.
        var trial = await Eventually.GetAsync(
            () => stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/settlement/cooperatives/{stall.CooperativeId}/trial-balance"),
            t => Balance(t, "refunds:card") != 0,
            TimeSpan.FromSeconds(30),
            "the sale and the refund to be in the books");
        Assert.Equal(0, trial.EnumerateArray().Sum(b => b.GetProperty("balanceRupiah").GetInt64()));
        Assert.Equal(3_700 + 1_000, Balance(trial, "payment-fees:stripe"));
        Assert.Equal(1_000, Balance(trial, "payment-fees:application"));
        Assert.Equal(50_000 - 3_700 - 1_000 - 1_000, Balance(trial, "received:card"));
        Assert.Equal(-25_000, Balance(trial, "refunds:card"));
        Assert.Equal(-2_500, Balance(trial, "fees"));
        Assert.Equal(-22_500, Balance(trial, "member:pending"));

        // The cooperative's year counts what Stripe kept as a cost.
        var yearReport = await stall.OrdersAdmin.GetFromJsonAsync<JsonElement>(
            $"/api/settlement/cooperatives/{stall.CooperativeId}/reports/year?year={DateTimeOffset.UtcNow.AddHours(7).Year}");
        Assert.Contains(yearReport.GetProperty("costsByCategory").EnumerateArray(),
            c => c.GetProperty("category").GetString() == "payment-fees" && c.GetProperty("amountRupiah").GetInt64() == 5_700);
    }

    private static long Balance(JsonElement trial, string account) =>
        trial.EnumerateArray().Where(b => b.GetProperty("account").GetString() == account).Sum(b => b.GetProperty("balanceRupiah").GetInt64());
}
