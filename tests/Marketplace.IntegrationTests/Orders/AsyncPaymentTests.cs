using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Orders;
using Marketplace.Orders.Lifecycle;
using Marketplace.Orders.Settlement.Data;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Stripe;

namespace Marketplace.IntegrationTests;

/// <summary>What tests of QRIS and GoPay payments ask of the emulator and of Stripe (through Stripe.net).</summary>
internal static class AsyncPayments
{
    public static string SessionId(JsonElement awaiting)
    {
        var url = awaiting.GetProperty("checkoutUrl").GetString()!;
        return url[(url.LastIndexOf('/') + 1)..];
    }

    /// <summary>The shopper chooses QRIS (or GoPay) on Stripe's page: the session completes unpaid.</summary>
    public static async Task<string> ChooseAsync(Shop shop, string sessionId, string method = "qris") =>
        (await (await shop.StripeClient().PostAsJsonAsync($"/_emulator/checkout/{sessionId}/pay", new { method })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("outcome").GetString()!;

    /// <summary>Her bank app pays the QRIS code, or fails.</summary>
    public static async Task<string> BankAnswersAsync(Shop shop, string sessionId, bool succeed) =>
        (await (await shop.StripeClient().PostAsJsonAsync($"/_emulator/checkout/{sessionId}/async-payment", new { succeed })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("outcome").GetString()!;

    public static StripeClient Stripe(Shop shop) =>
        new(new StripeClientOptions { ApiKey = "sk_test_async", ApiBase = shop.StripeAddress.ToString().TrimEnd('/') });

    /// <summary>Stripe.net's request options for the stall's own connected account.</summary>
    public static RequestOptions Account(Stall stall) => new() { StripeAccount = stall.StripeAccount };

    public static async Task<JsonElement> TrialBalanceAsync(Stall stall) =>
        await stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/settlement/cooperatives/{stall.CooperativeId}/trial-balance");

    public static long Balance(JsonElement trial, string account) =>
        trial.EnumerateArray().Where(b => b.GetProperty("account").GetString() == account).Sum(b => b.GetProperty("balanceRupiah").GetInt64());

    /// <summary>One OrderPaid owed, one sale and nothing else of the order in the books, its money received as e-wallet.</summary>
    public static async Task AssertPaidOnceAsync(Shop shop, Guid orderId, long total)
    {
        Assert.Equal(1, await shop.OutboxCountAsync("Marketplace.Contracts.Orders.OrderPaid", orderId));
        Assert.Equal(1, await shop.OutboxCountAsync("Marketplace.Contracts.Orders.ConfirmStockReservation", orderId));
        var source = $"sale:{orderId}";
        await Eventually.TrueAsync(async () =>
        {
            await using var scope = shop.Orders.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<SettlementDbContext>().JournalEntries.AnyAsync(e => e.Source == source);
        }, TimeSpan.FromSeconds(30), "the sale to be in the books");
        await using var books = shop.Orders.CreateScope();
        var settlement = books.ServiceProvider.GetRequiredService<SettlementDbContext>();
        Assert.Equal(1, await settlement.JournalEntries.CountAsync(e => e.Source.EndsWith(orderId.ToString())));
        var entry = await settlement.JournalEntries.AsNoTracking().SingleAsync(e => e.Source == source);
        Assert.Equal(total, await settlement.JournalLines.Where(l => l.EntryId == entry.Id && l.Account == "received:ewallet" && l.AmountRupiah > 0).SumAsync(l => l.AmountRupiah));
        Assert.Equal(0, await settlement.JournalLines.CountAsync(l => l.EntryId == entry.Id && l.Account == "received:card"));
    }

    public static async Task<JsonElement[]> EventsAsync(Shop shop) =>
        [.. (await shop.StripeClient().GetFromJsonAsync<JsonElement>("/_emulator/events")).EnumerateArray()];
}

/// <summary>
/// QRIS and GoPay through Stripe Checkout: the session completes unpaid, the order waits as "payment being confirmed"
/// with its stock held, and the bank's answer (Stripe's async_payment_succeeded or _failed) pays it or ends it.
/// </summary>
public sealed class AsyncPaymentTests(Shop shop) : IClassFixture<Shop>
{
    [Fact]
    public async Task A_QRIS_payment_confirmed_later_pays_the_order_once_with_Stripes_fee_in_the_books_and_repeated_webhooks_change_nothing()
    {
        var stall = await shop.OpenStallAsync("qris-berhasil", stock: 5, price: 25_000);
        var shopper = shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 2)).GetProperty("id").GetGuid();
        var awaiting = await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment");
        var sessionId = AsyncPayments.SessionId(awaiting);

        // Stripe's page offers card, QRIS and GoPay (the deployment's default), in rupiah.
        var stripe = AsyncPayments.Stripe(shop);
        var sessions = new Stripe.Checkout.SessionService(stripe);
        Assert.Equal(new[] { "card", "qris", "gopay" }, (await sessions.GetAsync(sessionId, null, AsyncPayments.Account(stall))).PaymentMethodTypes);

        Assert.Equal("Pending", await AsyncPayments.ChooseAsync(shop, sessionId));
        var confirming = await Shop.OrderWhenAsync(shopper, orderId, "confirmingPayment");
        Assert.Equal(JsonValueKind.Null, confirming.GetProperty("paidAt").ValueKind);
        var session = await sessions.GetAsync(sessionId, null, AsyncPayments.Account(stall));
        Assert.Equal(("complete", "unpaid"), (session.Status, session.PaymentStatus));
        Assert.Equal("requires_action", (await new PaymentIntentService(stripe).GetAsync(session.PaymentIntentId, null, AsyncPayments.Account(stall))).Status);
        // Held, not sold: nobody else can take it, and it has not left the shelf.
        Assert.Equal((5, 2), await Shop.StockAsync(stall));
        Assert.Equal(0, await shop.OutboxCountAsync("Marketplace.Contracts.Orders.OrderPaid", orderId));

        Assert.Equal("Paid", await AsyncPayments.BankAnswersAsync(shop, sessionId, succeed: true));
        var paid = await Shop.OrderWhenAsync(shopper, orderId, "paid");
        Assert.Equal("ewallet", paid.GetProperty("channel").GetString());
        await Eventually.TrueAsync(async () => await Shop.StockAsync(stall) == (3, 0), because: "Catalog to take the sold stock off the shelf");

        // Stripe's QRIS fee: 0.7% of Rp 50.000, no fixed part (the emulator's setting).
        var intent = await new PaymentIntentService(stripe).GetAsync(session.PaymentIntentId, null, AsyncPayments.Account(stall));
        var charge = await new ChargeService(stripe).GetAsync(intent.LatestChargeId, null, AsyncPayments.Account(stall));
        Assert.Equal("qris", charge.PaymentMethodDetails.Type);
        var sale = await new BalanceTransactionService(stripe).GetAsync(charge.BalanceTransactionId, null, AsyncPayments.Account(stall));
        Assert.Equal((5_000_000L, 35_000L), (sale.Amount, sale.Fee));

        // Every event of this payment again, twice, newest first: late and repeated, they change nothing.
        var ofThisSession = (await AsyncPayments.EventsAsync(shop)).Where(e => e.GetProperty("account").GetString() == stall.StripeAccount)
            .Select(e => e.GetProperty("id").GetString()!).ToList();
        var client = shop.StripeClient();
        foreach (var eventId in Enumerable.Repeat(ofThisSession, 2).SelectMany(ids => ids.AsEnumerable().Reverse()))
        {
            (await client.PostAsync(new Uri($"/_emulator/events/{eventId}/resend", UriKind.Relative), null)).EnsureSuccessStatusCode();
        }

        await Eventually.TrueAsync(
            async () => (await AsyncPayments.EventsAsync(shop)).Where(e => ofThisSession.Contains(e.GetProperty("id").GetString()!)).All(e => e.GetProperty("attempts").GetInt32() >= 3),
            because: "every copy to be delivered");
        var after = await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}");
        Assert.Equal(("paid", paid.GetProperty("paidAt").GetDateTimeOffset()), (after.GetProperty("status").GetString(), after.GetProperty("paidAt").GetDateTimeOffset()));
        await AsyncPayments.AssertPaidOnceAsync(shop, orderId, 50_000);

        // The books: Rp 50.000 at Stripe as e-wallet money, less the Rp 350 Stripe kept as the cooperative's cost; balanced.
        var trial = await Eventually.GetAsync(
            () => AsyncPayments.TrialBalanceAsync(stall), t => AsyncPayments.Balance(t, "payment-fees:stripe") != 0, TimeSpan.FromSeconds(30), "the fee to be in the books");
        Assert.Equal(0, trial.EnumerateArray().Sum(b => b.GetProperty("balanceRupiah").GetInt64()));
        Assert.Equal(50_000 - 350, AsyncPayments.Balance(trial, "received:ewallet"));
        Assert.Equal(350, AsyncPayments.Balance(trial, "payment-fees:stripe"));
        Assert.Equal(0, AsyncPayments.Balance(trial, "received:card"));
        Assert.Equal(0, AsyncPayments.Balance(trial, "received:qris"));
    }

    [Fact]
    public async Task A_failed_QRIS_payment_ends_the_order_and_gives_its_stock_back_at_once()
    {
        var stall = await shop.OpenStallAsync("qris-gagal", stock: 3, price: 25_000);
        var shopper = shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 3)).GetProperty("id").GetGuid();
        var sessionId = AsyncPayments.SessionId(await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment"));
        Assert.Equal("Pending", await AsyncPayments.ChooseAsync(shop, sessionId, "gopay"));
        await Shop.OrderWhenAsync(shopper, orderId, "confirmingPayment");
        Assert.Equal((3, 3), await Shop.StockAsync(stall));

        Assert.Equal("Failed", await AsyncPayments.BankAnswersAsync(shop, sessionId, succeed: false));
        var failed = await Shop.OrderWhenAsync(shopper, orderId, "expired");
        Assert.Equal("payment_failed", failed.GetProperty("paymentFailure").GetString());
        await Eventually.TrueAsync(async () => await Shop.StockAsync(stall) == (3, 0), because: "Catalog to put the held stock back on sale");

        // The failed payment cannot be paid afterwards, and the stock is for sale again: another shopper takes all of it.
        Assert.Equal("NothingPending", await AsyncPayments.BankAnswersAsync(shop, sessionId, succeed: true));
        var other = shop.NewShopper();
        var otherId = (await Shop.CheckOutAsync(other, stall, quantity: 3)).GetProperty("id").GetGuid();
        await Shop.OrderWhenAsync(other, otherId, "awaitingPayment");
        Assert.Equal(0, await shop.OutboxCountAsync("Marketplace.Contracts.Orders.OrderPaid", orderId));
        Assert.Equal("expired", (await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_QRIS_payment_unconfirmed_at_the_deadline_is_cancelled_at_Stripe_and_its_stock_released()
    {
        var stall = await shop.OpenStallAsync("qris-lewat", stock: 4, price: 25_000);
        var shopper = shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 1)).GetProperty("id").GetGuid();
        var sessionId = AsyncPayments.SessionId(await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment"));
        Assert.Equal("Pending", await AsyncPayments.ChooseAsync(shop, sessionId));
        await Shop.OrderWhenAsync(shopper, orderId, "confirmingPayment");

        await using (var scope = shop.Orders.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
            await db.Database.ExecuteSqlAsync($"UPDATE orders.orders SET payment_deadline = now() - interval '1 minute' WHERE id = {orderId}");
        }

        await shop.Orders.Services.GetServices<IHostedService>().OfType<UnpaidOrderExpiry>().Single().ExpireBatchAsync(CancellationToken.None);

        var expired = await Shop.OrderWhenAsync(shopper, orderId, "expired");
        Assert.Equal("payment_not_confirmed", expired.GetProperty("paymentFailure").GetString());
        await Eventually.TrueAsync(async () => await Shop.StockAsync(stall) == (4, 0), because: "Catalog to put the held stock back on sale");
        // Cancelled at Stripe: the QRIS code can no longer take her money for an order whose stock is gone.
        var session = await new Stripe.Checkout.SessionService(AsyncPayments.Stripe(shop)).GetAsync(sessionId, null, AsyncPayments.Account(stall));
        Assert.Equal("canceled", (await new PaymentIntentService(AsyncPayments.Stripe(shop)).GetAsync(session.PaymentIntentId, null, AsyncPayments.Account(stall))).Status);
        Assert.Equal("NothingPending", await AsyncPayments.BankAnswersAsync(shop, sessionId, succeed: true));
        Assert.Equal(0, await shop.OutboxCountAsync("Marketplace.Contracts.Orders.OrderPaid", orderId));
    }
}

/// <summary>
/// Every webhook fails: the return-page check and the sweep must understand a QRIS session that completed unpaid (the
/// order waits, it is not expired), then record the payment once the bank confirms it; the late webhooks change nothing.
/// </summary>
public sealed class AsyncPaymentLostWebhookTests : IAsyncLifetime
{
    private readonly Shop _shop = LostWebhooks.NewShop(sweepOften: false);

    public Task InitializeAsync() => _shop.InitializeAsync();

    public Task DisposeAsync() => _shop.DisposeAsync();

    [Fact]
    public async Task The_return_page_check_and_the_sweep_follow_a_QRIS_payment_without_webhooks_and_the_late_webhooks_change_nothing()
    {
        var stall = await _shop.OpenStallAsync("qris-tanpa-webhook", stock: 5, price: 25_000);
        var shopper = _shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 2)).GetProperty("id").GetGuid();
        var sessionId = AsyncPayments.SessionId(await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment"));
        Assert.Equal("Pending", await AsyncPayments.ChooseAsync(_shop, sessionId));

        // Back from Stripe's page: the check finds the session complete but unpaid, and the order waits for the bank.
        var checkedOrder = await (await shopper.PostAsync(new Uri($"/api/orders/orders/{orderId}/payment-check", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("confirmingPayment", checkedOrder.GetProperty("status").GetString());
        var sweep = _shop.Orders.Services.GetServices<IHostedService>().OfType<AwaitingPaymentSweep>().Single();
        await sweep.SweepAsync(CancellationToken.None);
        Assert.Equal("confirmingPayment", (await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}")).GetProperty("status").GetString());
        Assert.Equal((5, 2), await Shop.StockAsync(stall));

        // The bank pays; its webhook is lost too, and nobody comes back to the page: the sweep finds it.
        Assert.Equal("Paid", await AsyncPayments.BankAnswersAsync(_shop, sessionId, succeed: true));
        Assert.Equal(1, await sweep.SweepAsync(CancellationToken.None));
        var paid = await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}");
        Assert.Equal(("paid", "ewallet"), (paid.GetProperty("status").GetString(), paid.GetProperty("channel").GetString()));

        await LostWebhooks.DeliverLateAsync(_shop);
        var after = await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}");
        Assert.Equal(paid.GetProperty("paidAt").GetDateTimeOffset(), after.GetProperty("paidAt").GetDateTimeOffset());
        await AsyncPayments.AssertPaidOnceAsync(_shop, orderId, 50_000);
        await Eventually.TrueAsync(async () => await Shop.StockAsync(stall) == (3, 0), because: "Catalog to take the sold stock off the shelf");
    }
}
