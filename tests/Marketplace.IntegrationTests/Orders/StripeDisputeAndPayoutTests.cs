using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using Stripe;

namespace Marketplace.IntegrationTests;

/// <summary>
/// Card disputes and Stripe's payouts, end to end through Stripe.net against the emulator: a bag of Rp 25.000 sold twice
/// (Rp 50.000; the cooperative's fee 10%: Rp 5.000, the member's share Rp 45.000; Stripe keeps 3.4% + Rp 2.000 = Rp 3.700),
/// Stripe's dispute fee Rp 250.000. Each test uses its own cooperative on its own Stripe account, so a payout holds only its own.
/// </summary>
public sealed class StripeDisputeAndPayoutTests(Shop shop) : IClassFixture<Shop>
{
    [Fact]
    public async Task A_lost_dispute_holds_the_handed_over_share_away_from_a_payout_batch_then_reverses_it_with_Stripes_fee_as_the_cooperatives_cost()
    {
        var (stall, account, orderId, intentId) = await HandedOverCardOrderAsync("sengketa-kalah");
        var member = stall.MemberId.ToString();
        await TrialAsync(stall, t => Balance(t, "member:available", member) == -45_000, "the hand-over to be in the books");

        var dispute = await OpenDisputeAsync(account, intentId);
        var held = await TrialAsync(stall, t => Balance(t, "member:disputed", member) == -45_000, "the share to be held for the dispute");
        Assert.Equal(0, Balance(held, "member:available", member));
        Assert.Equal(50_000 + 250_000, Balance(held, "disputes:withheld"));

        // The admin sees it, with Stripe's deadline to answer in Stripe's dashboard.
        var open = Assert.Single(await stall.OrdersAdmin.GetFromJsonAsync<JsonElement[]>($"/api/orders/cooperatives/{stall.CooperativeId}/disputes") ?? []);
        Assert.Equal((orderId, 50_000L, "fraudulent", "needs_response", true),
            (open.GetProperty("orderId").GetGuid(), open.GetProperty("amountRupiah").GetInt64(), open.GetProperty("reason").GetString(), open.GetProperty("status").GetString(), open.GetProperty("open").GetBoolean()));
        Assert.True(open.GetProperty("dueBy").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(6));
        // ... and on the order itself, alone and in the cooperative's list: flagged with its status and deadline.
        var flagged = (await stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}")).GetProperty("dispute");
        var listed = (await stall.OrdersAdmin.GetFromJsonAsync<JsonElement[]>($"/api/orders/cooperatives/{stall.CooperativeId}/orders") ?? [])
            .Single(o => o.GetProperty("id").GetGuid() == orderId).GetProperty("dispute");
        foreach (var flag in new[] { flagged, listed })
        {
            Assert.Equal(("needs_response", open.GetProperty("dueBy").GetDateTimeOffset(), 50_000L),
                (flag.GetProperty("status").GetString(), flag.GetProperty("dueBy").GetDateTimeOffset(), flag.GetProperty("amountRupiah").GetInt64()));
        }

        // A payout batch prepared meanwhile has nothing to pay her: her share is held.
        var prepared = await stall.OrdersAdmin.PostAsJsonAsync($"/api/settlement/cooperatives/{stall.CooperativeId}/payout-batches", new { minimumRupiah = 1 });
        Assert.Equal(HttpStatusCode.Created, prepared.StatusCode);
        Assert.DoesNotContain((await prepared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lines").EnumerateArray(),
            l => l.GetProperty("memberId").GetGuid() == stall.MemberId);

        await CloseDisputeAsync(dispute, "lost");
        var lost = await TrialAsync(stall, t => Balance(t, "payment-fees:disputes") != 0, "the lost dispute to be in the books");
        Assert.Equal(0, lost.EnumerateArray().Sum(b => b.GetProperty("balanceRupiah").GetInt64()));
        Assert.Equal((0L, 0L, 0L), (Balance(lost, "member:disputed", member), Balance(lost, "member:available", member), Balance(lost, "member:pending", member)));
        Assert.Equal((0L, 0L, 250_000L), (Balance(lost, "fees"), Balance(lost, "disputes:withheld"), Balance(lost, "payment-fees:disputes")));
        Assert.Equal(50_000 - 3_700 - 50_000 - 250_000, Balance(lost, "received:card"));

        var decided = Assert.Single(await stall.OrdersAdmin.GetFromJsonAsync<JsonElement[]>($"/api/orders/cooperatives/{stall.CooperativeId}/disputes") ?? []);
        Assert.Equal(("lost", false), (decided.GetProperty("status").GetString(), decided.GetProperty("open").GetBoolean()));
        // Decided, the order is no longer flagged.
        Assert.Equal(JsonValueKind.Null, (await stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}")).GetProperty("dispute").ValueKind);
        Assert.Equal(2, await EventsAsync(account, "charge.dispute."));
    }

    [Fact]
    public async Task A_won_dispute_after_the_member_was_paid_takes_her_share_back_meanwhile_and_releases_it_once_whatever_order_events_arrive_in()
    {
        var (stall, account, _, intentId) = await HandedOverCardOrderAsync("sengketa-menang");
        var member = stall.MemberId.ToString();
        await TrialAsync(stall, t => Balance(t, "member:available", member) == -45_000, "the hand-over to be in the books");

        // She is paid her Rp 45.000 before the shopper's bank disputes the payment.
        var preparer = shop.NewShopper(TestTokens.CooperativeAdmin(stall.CooperativeId));
        var batch = await (await preparer.PostAsJsonAsync($"/api/settlement/cooperatives/{stall.CooperativeId}/payout-batches", new { minimumRupiah = 1 }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var batchId = batch.GetProperty("id").GetGuid();
        (await stall.OrdersAdmin.PostAsync(new Uri($"/api/settlement/payout-batches/{batchId}/approve", UriKind.Relative), null)).EnsureSuccessStatusCode();
        (await stall.OrdersAdmin.PostAsJsonAsync($"/api/settlement/payout-batches/{batchId}/members/{stall.MemberId}/paid", new { reference = "TRF-001" })).EnsureSuccessStatusCode();

        var dispute = await OpenDisputeAsync(account, intentId);
        var held = await TrialAsync(stall, t => Balance(t, "member:disputed", member) == -45_000, "the share to be held");
        // Already paid out: she owes it back, carried to her next payout as after a refund.
        Assert.Equal(45_000, Balance(held, "member:available", member));

        (await shop.StripeClient().PostAsync(new Uri($"/_emulator/disputes/{dispute}/under-review", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await CloseDisputeAsync(dispute, "won");
        var won = await TrialAsync(stall, t => Balance(t, "member:disputed", member) == 0 && Balance(t, "disputes:withheld") == 0, "the won dispute to be in the books");
        Assert.Equal(0, won.EnumerateArray().Sum(b => b.GetProperty("balanceRupiah").GetInt64()));
        Assert.Equal(0, Balance(won, "member:available", member));
        Assert.Equal(-5_000, Balance(won, "fees"));
        // Stripe gave the amount back and kept its fee (the emulator's default): the fee is the cooperative's cost.
        Assert.Equal(250_000, Balance(won, "payment-fees:disputes"));
        Assert.Equal(50_000 - 3_700 - 250_000, Balance(won, "received:card"));

        // Every event sent again, in reverse: nothing moves.
        var client = shop.StripeClient();
        var events = await client.GetFromJsonAsync<JsonElement[]>("/_emulator/events") ?? [];
        foreach (var id in events.Where(e => e.GetProperty("account").GetString() == account).Select(e => e.GetProperty("id").GetString()).Reverse())
        {
            (await client.PostAsync(new Uri($"/_emulator/events/{id}/resend", UriKind.Relative), null)).EnsureSuccessStatusCode();
        }

        await Eventually.TrueAsync(async () => (await client.GetFromJsonAsync<JsonElement[]>("/_emulator/events") ?? [])
            .Where(e => e.GetProperty("account").GetString() == account).All(e => e.GetProperty("attempts").GetInt32() >= 2 && e.GetProperty("status").GetString() == "delivered"),
            TimeSpan.FromSeconds(30), "the events to be delivered again");
        var again = await stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/settlement/cooperatives/{stall.CooperativeId}/trial-balance");
        Assert.Equal(won.ToString(), again.ToString());
        Assert.Equal("won", Assert.Single(await stall.OrdersAdmin.GetFromJsonAsync<JsonElement[]>($"/api/orders/cooperatives/{stall.CooperativeId}/disputes") ?? []).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_Stripe_payout_reconciles_to_the_books_to_the_rupiah_and_moves_the_money_to_the_bank()
    {
        var (stall, account, orderId, intentId) = await PaidCardOrderAsync("payout-cocok");
        var lineId = (await stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}")).GetProperty("lines")[0].GetProperty("id").GetGuid();
        using var refundRequest = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/orders/orders/{orderId}/refunds", UriKind.Relative))
        {
            Content = JsonContent.Create(new { lines = new[] { new { lineId, quantity = 1 } }, shipping = false }),
        };
        refundRequest.Headers.Add("Idempotency-Key", "satu-tas");
        Assert.Equal(HttpStatusCode.OK, (await stall.OrdersAdmin.SendAsync(refundRequest)).StatusCode);
        await TrialAsync(stall, t => Balance(t, "refunds:card") == -25_000, "the sale and the refund to be in the books");

        // A second shopper pays one bag by QRIS: Stripe's fee on it is 0.7 %, Rp 175.
        var qrisShopper = shop.NewShopper();
        var qrisOrderId = (await Shop.CheckOutAsync(qrisShopper, stall, quantity: 1)).GetProperty("id").GetGuid();
        var qrisSession = AsyncPayments.SessionId(await Shop.OrderWhenAsync(qrisShopper, qrisOrderId, "awaitingPayment"));
        Assert.Equal("Pending", await AsyncPayments.ChooseAsync(shop, qrisSession));
        Assert.Equal("Paid", await AsyncPayments.BankAnswersAsync(shop, qrisSession, succeed: true));
        await TrialAsync(stall, t => Balance(t, "received:ewallet") == 25_000 - 175, "the QRIS sale and its fee to be in the books");

        var payout = await PayOutAsync(stall, account);
        const long expected = 50_000 - 3_700 - 25_000 + 25_000 - 175;
        Assert.Equal(expected, payout.GetProperty("amountRupiah").GetInt64());
        var lines = payout.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(["charge", "charge", "payout", "refund"], lines.Select(l => l.GetProperty("kind").GetString()).Order());
        Assert.All(lines, l => Assert.Equal("matched", l.GetProperty("match").GetString()));
        var charges = lines.Where(l => l.GetProperty("kind").GetString() == "charge").ToDictionary(l => l.GetProperty("orderId").GetGuid());
        // Each payment says how it was paid: the report names it a card or a QRIS payment.
        Assert.Equal(("card", 50_000 - 3_700L), (charges[orderId].GetProperty("paymentMethod").GetString(), charges[orderId].GetProperty("netRupiah").GetInt64()));
        Assert.Equal(("qris", 25_000 - 175L), (charges[qrisOrderId].GetProperty("paymentMethod").GetString(), charges[qrisOrderId].GetProperty("netRupiah").GetInt64()));
        Assert.Equal((expected, expected, true), (payout.GetProperty("expectedRupiah").GetInt64(), payout.GetProperty("foundRupiah").GetInt64(), payout.GetProperty("reconciled").GetBoolean()));

        var trial = await stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/settlement/cooperatives/{stall.CooperativeId}/trial-balance");
        Assert.Equal(0, trial.EnumerateArray().Sum(b => b.GetProperty("balanceRupiah").GetInt64()));
        Assert.Equal((expected, -expected), (Balance(trial, "bank"), Balance(trial, "stripe:paid-out")));
        // Nothing is left at Stripe, in Stripe's books or the cooperative's: card and e-wallet money alike.
        Assert.Equal(0, Balance(trial, "received:card") + Balance(trial, "received:ewallet") + Balance(trial, "refunds:card") + Balance(trial, "stripe:paid-out"));

        // Stripe's list, read through Stripe.net page by page (limit 1): has_more and starting_after walk the same four.
        var stripe = StripeApi();
        var options = new RequestOptions { StripeAccount = account };
        var service = new BalanceTransactionService(stripe);
        var first = await service.ListAsync(new BalanceTransactionListOptions { Payout = payout.GetProperty("id").GetString(), Limit = 1 }, options);
        Assert.True(first.HasMore);
        var all = new List<string>();
        await foreach (var transaction in service.ListAutoPagingAsync(new BalanceTransactionListOptions { Payout = payout.GetProperty("id").GetString(), Limit = 1 }, options))
        {
            all.Add(transaction.Id);
        }

        Assert.Equal(lines.Select(l => l.GetProperty("transactionId").GetString()!).Order(), all.Order());

        // payout.paid delivered again records and posts nothing twice.
        var client = shop.StripeClient();
        var paidEvent = (await client.GetFromJsonAsync<JsonElement[]>("/_emulator/events") ?? [])
            .Single(e => e.GetProperty("account").GetString() == account && e.GetProperty("type").GetString() == "payout.paid").GetProperty("id").GetString();
        (await client.PostAsync(new Uri($"/_emulator/events/{paidEvent}/resend", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(async () => (await client.GetFromJsonAsync<JsonElement[]>("/_emulator/events") ?? [])
            .Any(e => e.GetProperty("id").GetString() == paidEvent && e.GetProperty("attempts").GetInt32() >= 2 && e.GetProperty("status").GetString() == "delivered"),
            TimeSpan.FromSeconds(30), "payout.paid to be delivered again");
        Assert.Single(await stall.OrdersAdmin.GetFromJsonAsync<JsonElement[]>($"/api/settlement/cooperatives/{stall.CooperativeId}/stripe-payouts") ?? []);
        Assert.Equal(expected, Balance(await stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/settlement/cooperatives/{stall.CooperativeId}/trial-balance"), "bank"));
    }

    [Fact]
    public async Task A_payment_the_marketplace_knows_nothing_of_is_shown_as_unmatched_in_the_payout()
    {
        var (stall, account, _, _) = await PaidCardOrderAsync("payout-asing");
        await TrialAsync(stall, t => Balance(t, "received:card") != 0, "the sale to be in the books");

        // Someone at the cooperative took a payment on its Stripe account outside the marketplace.
        var stripe = StripeApi();
        var session = await new Stripe.Checkout.SessionService(stripe).CreateAsync(new Stripe.Checkout.SessionCreateOptions
        {
            Mode = "payment",
            SuccessUrl = "https://binor.example/",
            LineItems = [new() { Quantity = 1, PriceData = new() { Currency = "idr", UnitAmount = 10_000_000, ProductData = new() { Name = "Sewa perahu" } } }],
        }, new RequestOptions { StripeAccount = account });
        Assert.Equal("Paid", await shop.PayAsync(session.Url));

        var payout = await PayOutAsync(stall, account);
        var unknown = Assert.Single(payout.GetProperty("lines").EnumerateArray(), l => l.GetProperty("match").GetString() != "matched");
        Assert.Equal(("unknown", "charge", 100_000L - 5_400), (unknown.GetProperty("match").GetString(), unknown.GetProperty("kind").GetString(), unknown.GetProperty("netRupiah").GetInt64()));
        Assert.Equal(JsonValueKind.Null, unknown.GetProperty("foundRupiah").ValueKind);
        Assert.False(payout.GetProperty("reconciled").GetBoolean());
        Assert.Equal((1, 2), (payout.GetProperty("unmatchedCount").GetInt32(), payout.GetProperty("matchedCount").GetInt32()));
        Assert.Equal(payout.GetProperty("expectedRupiah").GetInt64() - 94_600, payout.GetProperty("foundRupiah").GetInt64());
    }

    private StripeClient StripeApi() => new(new StripeClientOptions { ApiKey = "sk_test_disputes", ApiBase = shop.StripeAddress.ToString().TrimEnd('/') });

    /// <summary>A cooperative on its own Stripe account, and a paid card order of two bags there.</summary>
    private async Task<(Stall Stall, string Account, Guid OrderId, string IntentId)> PaidCardOrderAsync(string slug)
    {
        var stall = await shop.OpenStallAsync(slug, stock: 5, price: 25_000);
        // Connected through Stripe's onboarding when the stall opened: its own account.
        var account = stall.StripeAccount!;
        var shopper = shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 2)).GetProperty("id").GetGuid();
        var awaiting = await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment");
        var checkoutUrl = awaiting.GetProperty("checkoutUrl").GetString()!;
        Assert.Equal("Paid", await shop.PayAsync(checkoutUrl));
        await Shop.OrderWhenAsync(shopper, orderId, "paid");
        var session = await new Stripe.Checkout.SessionService(StripeApi()).GetAsync(checkoutUrl[(checkoutUrl.LastIndexOf('/') + 1)..], null, new RequestOptions { StripeAccount = account });
        return (stall, account, orderId, session.PaymentIntentId);
    }

    private async Task<(Stall Stall, string Account, Guid OrderId, string IntentId)> HandedOverCardOrderAsync(string slug)
    {
        var paid = await PaidCardOrderAsync(slug);
        var member = shop.NewShopper(TestTokens.Member(paid.Stall.CooperativeId, paid.Stall.MemberId));
        var order = await Eventually.GetAsync(
            () => paid.Stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{paid.OrderId}"),
            o => o.GetProperty("status").GetString() is "confirmed" or "paid" && o.GetProperty("lines").GetArrayLength() > 0,
            TimeSpan.FromSeconds(30), "the order to be confirmed");
        foreach (var line in order.GetProperty("lines").EnumerateArray())
        {
            (await member.PostAsync(new Uri($"/api/orders/orders/{paid.OrderId}/lines/{line.GetProperty("id").GetGuid()}/ready", UriKind.Relative), null)).EnsureSuccessStatusCode();
        }

        await Eventually.TrueAsync(
            async () => (await paid.Stall.OrdersAdmin.PostAsync(new Uri($"/api/orders/orders/{paid.OrderId}/hand-over", UriKind.Relative), null)).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30), "the order to be handed over");
        return paid;
    }

    private async Task<string> OpenDisputeAsync(string account, string intentId)
    {
        var response = await shop.StripeClient().PostAsJsonAsync("/_emulator/disputes", new { paymentIntent = intentId, account, reason = "fraudulent" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task CloseDisputeAsync(string disputeId, string outcome) =>
        (await shop.StripeClient().PostAsJsonAsync($"/_emulator/disputes/{disputeId}/close", new { outcome })).EnsureSuccessStatusCode();

    /// <summary>Stripe pays the account's balance out; the cooperative's report of it, once reconciled.</summary>
    private async Task<JsonElement> PayOutAsync(Stall stall, string account)
    {
        var response = await shop.StripeClient().PostAsJsonAsync("/_emulator/payouts", new { account });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var payoutId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var report = await Eventually.GetAsync(
            () => stall.OrdersAdmin.GetFromJsonAsync<JsonElement[]>($"/api/settlement/cooperatives/{stall.CooperativeId}/stripe-payouts"),
            r => r is { Length: > 0 } && r[0].GetProperty("id").GetString() == payoutId,
            TimeSpan.FromSeconds(30), "the payout to be reconciled");
        return report![0];
    }

    private async Task<int> EventsAsync(string account, string typePrefix)
    {
        var events = await shop.StripeClient().GetFromJsonAsync<JsonElement[]>("/_emulator/events") ?? [];
        return events.Count(e => e.GetProperty("account").GetString() == account && e.GetProperty("type").GetString()!.StartsWith(typePrefix, StringComparison.Ordinal));
    }

    private static Task<JsonElement> TrialAsync(Stall stall, Func<JsonElement, bool> until, string because) =>
        Eventually.GetAsync(
            () => stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/settlement/cooperatives/{stall.CooperativeId}/trial-balance"),
            until, TimeSpan.FromSeconds(30), because);

    private static long Balance(JsonElement trial, string account, string? member = null) =>
        trial.EnumerateArray()
            .Where(b => b.GetProperty("account").GetString() == account && (member is null || b.GetProperty("memberId").GetString() == member))
            .Sum(b => b.GetProperty("balanceRupiah").GetInt64());
}
