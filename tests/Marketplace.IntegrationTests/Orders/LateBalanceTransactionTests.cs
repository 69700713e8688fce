using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using Stripe;

namespace Marketplace.IntegrationTests;

/// <summary>
/// Stripe sometimes makes a charge's balance transaction after the payment: the sale is booked without its fee, and the
/// fee follows once Stripe has it (<c>charge.updated</c>, or the payout that carries it), exactly once.
/// </summary>
public sealed class LateBalanceTransactionTests(Shop shop) : IClassFixture<Shop>
{
    [Fact]
    public async Task A_payment_whose_balance_transaction_comes_late_still_gets_its_fee_booked_once()
    {
        var stall = await shop.OpenStallAsync("biaya-terlambat", stock: 5, price: 25_000);
        var account = stall.StripeAccount!;
        var emulator = shop.StripeClient();
        (await emulator.PostAsJsonAsync($"/_emulator/accounts/{account}/delay-balance-transactions", new { delay = true })).EnsureSuccessStatusCode();

        var shopper = shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 2)).GetProperty("id").GetGuid();
        var checkoutUrl = (await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment")).GetProperty("checkoutUrl").GetString()!;
        Assert.Equal("Paid", await shop.PayAsync(checkoutUrl));
        await Shop.OrderWhenAsync(shopper, orderId, "paid");
        var withoutFee = await TrialAsync(stall, t => AsyncPayments.Balance(t, "received:card") == 50_000, "the sale to be booked");
        var stripe = AsyncPayments.Stripe(shop);
        var session = await new Stripe.Checkout.SessionService(stripe).GetAsync(checkoutUrl[(checkoutUrl.LastIndexOf('/') + 1)..], null, AsyncPayments.Account(stall));
        var intent = await new PaymentIntentService(stripe).GetAsync(session.PaymentIntentId, null, AsyncPayments.Account(stall));
        var before = await new ChargeService(stripe).GetAsync(intent.LatestChargeId, null, AsyncPayments.Account(stall));

        // Stripe makes the balance transaction and says so with charge.updated.
        (await emulator.PostAsync(new Uri($"/_emulator/accounts/{account}/charges/{intent.LatestChargeId}/balance-transaction", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var withFee = await TrialAsync(stall, t => AsyncPayments.Balance(t, "payment-fees:stripe") != 0, "the late fee to be booked");

        // The same event again, then the payout that carries the transaction (which tells the fee once more): booked once.
        var updated = (await AsyncPayments.EventsAsync(shop)).Single(e => e.GetProperty("type").GetString() == "charge.updated" && e.GetProperty("account").GetString() == account);
        var updatedId = updated.GetProperty("id").GetString();
        (await emulator.PostAsync(new Uri($"/_emulator/events/{updatedId}/resend", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(async () => (await AsyncPayments.EventsAsync(shop))
            .Any(e => e.GetProperty("id").GetString() == updatedId && e.GetProperty("attempts").GetInt32() >= 2 && e.GetProperty("status").GetString() == "delivered"),
            TimeSpan.FromSeconds(30), "charge.updated to be delivered again");
        var payout = await emulator.PostAsJsonAsync("/_emulator/payouts", new { account });
        Assert.True(payout.IsSuccessStatusCode, await payout.Content.ReadAsStringAsync());
        var report = await Eventually.GetAsync(
            () => stall.OrdersAdmin.GetFromJsonAsync<JsonElement[]>($"/api/settlement/cooperatives/{stall.CooperativeId}/stripe-payouts"),
            r => r is { Length: > 0 }, TimeSpan.FromSeconds(30), "the payout to be reconciled");
        var after = await TrialAsync(stall, t => AsyncPayments.Balance(t, "bank") != 0, "the payout to be booked");

        Assert.Null(before.BalanceTransactionId);
        Assert.Equal(0, AsyncPayments.Balance(withoutFee, "payment-fees:stripe"));
        // Stripe's card fee in Indonesia as the emulator charges it: 3.4 % + Rp 2.000.
        Assert.Equal((3_700L, 50_000 - 3_700L), (AsyncPayments.Balance(withFee, "payment-fees:stripe"), AsyncPayments.Balance(withFee, "received:card")));
        Assert.Equal((3_700L, 50_000 - 3_700L), (AsyncPayments.Balance(after, "payment-fees:stripe"), AsyncPayments.Balance(after, "bank")));
        Assert.Equal(0, AsyncPayments.Balance(after, "received:card") + AsyncPayments.Balance(after, "stripe:paid-out"));
        Assert.Equal(0, after.EnumerateArray().Sum(b => b.GetProperty("balanceRupiah").GetInt64()));
        Assert.True(report![0].GetProperty("reconciled").GetBoolean(), report[0].ToString());
        // Told to Settlement by the first charge.updated only: neither the repeat nor the payout tells it again.
        Assert.Equal(1, await shop.OutboxCountAsync(typeof(Marketplace.Contracts.Orders.OrderPaymentFeesKnown).FullName!, orderId));
        var charge = report[0].GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("kind").GetString() == "charge");
        Assert.Equal(("matched", 50_000 - 3_700L), (charge.GetProperty("match").GetString(), charge.GetProperty("foundRupiah").GetInt64()));
    }

    private static Task<JsonElement> TrialAsync(Stall stall, Func<JsonElement, bool> until, string because) =>
        Eventually.GetAsync(() => AsyncPayments.TrialBalanceAsync(stall), until, TimeSpan.FromSeconds(30), because);
}
