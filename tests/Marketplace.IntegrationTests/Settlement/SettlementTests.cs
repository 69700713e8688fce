using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Marketplace.Contracts.Orders;
using Marketplace.Orders.Settlement.Data;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>Orders alone, with its settlement module, fed the messages Orders publishes.</summary>
public sealed class SettlementHost : IAsyncLifetime
{
    public ServiceHost<Orders.Program> Orders { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var scope = await TestScope.CreateAsync();
        var settings = ServiceSettings.For(scope, TestTokens.Issuer, "orders");
        settings["ConnectionStrings:ordersdb"] = scope.Database("orders");
        // Messages of one order may overtake each other; settlement retries until the sale is in the books.
        string[] delays = ["00:00:00.300", "00:00:01", "00:00:02", "00:00:04", "00:00:08"];
        for (var i = 0; i < delays.Length; i++)
        {
            settings[$"Messaging:Retry:RedeliveryDelays:{i}"] = delays[i];
        }

        Orders = new ServiceHost<Orders.Program>(settings);
        var client = Orders.CreateClient();
        await Eventually.TrueAsync(async () => (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "Orders to be ready");
    }

    public async Task DisposeAsync() => await Orders.DisposeAsync();

    public Task PublishAsync<T>(T message, Guid messageId)
        where T : class =>
        Orders.Services.GetRequiredService<IBus>().Publish(message, context => context.MessageId = messageId);

    public HttpClient Admin(Guid cooperativeId, Guid userId) =>
        Orders.CreateClient().WithToken(TestTokens.Issuer.Mint(new ServiceCaller(userId, [MarketplaceRoles.CooperativeAdmin], [cooperativeId])));

    public HttpClient Member(Guid cooperativeId, Guid memberId) => Orders.CreateClient().WithToken(TestTokens.Member(cooperativeId, memberId));

    public async Task<int> EntriesAsync(Guid cooperativeId)
    {
        await using var scope = Orders.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<SettlementDbContext>().JournalEntries.CountAsync(e => e.CooperativeId == cooperativeId);
    }

    public async Task<List<Guid>> UnbalancedEntriesAsync()
    {
        await using var scope = Orders.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<SettlementDbContext>().JournalLines
            .GroupBy(l => l.EntryId).Where(g => g.Sum(l => l.AmountRupiah) != 0).Select(g => g.Key).ToListAsync();
    }
}

public sealed class SettlementTests(SettlementHost host) : IClassFixture<SettlementHost>
{
    /// <summary>The test's own account of what each member earned, refunded and was paid, computed by hand.</summary>
    private sealed class Book
    {
        public Dictionary<Guid, long> Shares { get; } = [];

        public Dictionary<Guid, long> PaidOut { get; } = [];

        public Dictionary<Guid, long> Savings { get; } = [];

        public long Fees { get; set; }

        public long Received { get; set; }

        public long Refunded { get; set; }

        /// <summary>What Stripe kept of card payments and refunds (its fees), and the platform's application fees: the cooperative's costs.</summary>
        public long StripeFees { get; set; }

        public long ApplicationFees { get; set; }

        /// <summary>Cash paid into the kiosk's tills, and taken out, other than by sales and refunds.</summary>
        public long TillPaidIn { get; set; }

        public long TillPaidOut { get; set; }

        /// <summary>Each till session's difference as its newest revision says.</summary>
        public Dictionary<Guid, (int Revision, long Difference)> TillDifferences { get; } = [];

        /// <summary>Members' shares held while a card payment is disputed; what Stripe withdrew for open disputes; dispute fees kept.</summary>
        public Dictionary<Guid, long> Held { get; } = [];

        public long Withheld { get; set; }

        public long DisputeFees { get; set; }

        public static void Add(Dictionary<Guid, long> into, Guid member, long amount) => into[member] = into.GetValueOrDefault(member) + amount;
    }

    private sealed record SoldOrder(OrderPaid Paid, int[] Refunded, long[] RefundedFee)
    {
        public bool Fulfilled { get; set; }

        public bool ShippingRefunded { get; set; }

        public bool WalkIn { get; init; }

        /// <summary>The open dispute on its card payment (Stripe refuses refunds meanwhile), with what it withdrew and held.</summary>
        public (string Id, long Amount, long Fee, Dictionary<Guid, long> Held)? Dispute { get; set; }

        public bool Disputed { get; set; }
    }

    [Fact]
    public async Task Hundreds_of_random_sales_handovers_refunds_walk_in_sales_till_cash_payment_fees_and_payouts_keep_the_books_exact()
    {
        var random = new Random(20261128);
        var cooperative = Guid.NewGuid();
        var members = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        var book = new Book();
        var orders = new List<SoldOrder>();
        var published = new List<(object Message, Guid Id)>();
        var sources = 0;

        async Task StepsAsync(int count)
        {
            for (var step = 0; step < count; step++)
            {
                var roll = random.Next(100);
                if (roll < 40 || orders.Count == 0)
                {
                    // One in four is a walk-in sale at the kiosk: paid in cash or by QRIS and handed over at once.
                    var walkIn = random.Next(4) == 0;
                    var order = Guid.NewGuid();
                    var lines = Enumerable.Range(0, random.Next(1, 4)).Select(_ =>
                    {
                        var quantity = random.Next(1, 6);
                        var price = random.Next(5, 90) * 1_000L + random.Next(0, 3) * 333;
                        decimal[] fees = [0m, 7.5m, 10m, 12.5m];
                        return new SoldLine(Guid.NewGuid(), members[random.Next(members.Length)], Guid.NewGuid(), Guid.NewGuid(), "kerupuk", "Kerupuk", quantity, price, price * quantity, fees[random.Next(fees.Length)]);
                    }).ToList();
                    var shipping = walkIn || random.Next(2) == 0 ? 0 : 15_000L;
                    // Online orders may also be paid by QRIS or GoPay through Stripe (e-wallet); walk-ins only in cash or by the kiosk's QRIS.
                    var method = random.Next(walkIn ? 1 : 0, walkIn ? 3 : 4) switch
                    {
                        0 => (PaymentChannel.Card, "pi_test"), 1 => (PaymentChannel.Cash, (string?)null), 2 => (PaymentChannel.Qris, "QR1"), _ => (PaymentChannel.Ewallet, "pi_qris"),
                    };
                    var total = lines.Sum(l => l.LineTotalRupiah) + shipping;
                    // A card payment carries what Stripe kept (3.4% + Rp 2.000) and, now and then, the platform's application fee.
                    var card = method.Item1 == PaymentChannel.Card;
                    long? stripeFee = card ? (long)Math.Round(total * 0.034m, MidpointRounding.AwayFromZero) + 2_000
                        : method.Item1 == PaymentChannel.Ewallet ? (long)Math.Round(total * 0.007m, MidpointRounding.AwayFromZero) : null;
                    long? applicationFee = card && random.Next(3) == 0 ? total / 100 : null;
                    book.StripeFees += stripeFee ?? 0;
                    book.ApplicationFees += applicationFee ?? 0;
                    var paid = new OrderPaid(order, cooperative, method.Item1, method.Item2, lines, shipping, total, DateTimeOffset.UtcNow, stripeFee, applicationFee);
                    foreach (var line in lines)
                    {
                        var fee = (long)Math.Floor(line.LineTotalRupiah * line.FeePercent / 100m);
                        book.Fees += fee;
                        Book.Add(book.Shares, line.MemberId, line.LineTotalRupiah - fee);
                    }

                    book.Received += paid.TotalRupiah;
                    orders.Add(new SoldOrder(paid, new int[lines.Count], new long[lines.Count]) { Fulfilled = walkIn, WalkIn = walkIn });
                    await PublishAsync(paid);
                    sources++;
                    if (walkIn)
                    {
                        await PublishAsync(new OrderLinesFulfilled(order, cooperative, lines.Select(l => new FulfilledLine(l.OrderLineId, l.MemberId, l.Quantity)).ToList(),
                            "counter", DateTimeOffset.UtcNow));
                        sources++;
                    }
                }
                else if (roll < 65)
                {
                    var order = orders[random.Next(orders.Count)];
                    if (!order.Fulfilled)
                    {
                        order.Fulfilled = true;
                        await PublishAsync(new OrderLinesFulfilled(order.Paid.OrderId, cooperative,
                            order.Paid.Lines.Select(l => new FulfilledLine(l.OrderLineId, l.MemberId, l.Quantity)).ToList(), "handed_over", DateTimeOffset.UtcNow));
                        sources++;
                    }
                }
                else if (roll < 90)
                {
                    var order = orders[random.Next(orders.Count)];
                    var index = random.Next(order.Paid.Lines.Count);
                    var line = order.Paid.Lines[index];
                    var left = line.Quantity - order.Refunded[index];
                    var withShipping = !order.ShippingRefunded && order.Paid.ShippingRupiah > 0 && random.Next(3) == 0;
                    if (left > 0 && order.Dispute is null)
                    {
                        var quantity = random.Next(1, left + 1);
                        var amount = quantity * line.UnitPriceRupiah;
                        // The fee comes back in proportion, rounded down; the last units take what is left of it.
                        var lineFee = (long)Math.Floor(line.LineTotalRupiah * line.FeePercent / 100m);
                        var fee = order.Refunded[index] + quantity == line.Quantity ? lineFee - order.RefundedFee[index] : lineFee * quantity / line.Quantity;
                        order.Refunded[index] += quantity;
                        order.RefundedFee[index] += fee;
                        book.Fees -= fee;
                        Book.Add(book.Shares, line.MemberId, -(amount - fee));
                        var shipping = withShipping ? order.Paid.ShippingRupiah : 0;
                        order.ShippingRefunded |= withShipping;
                        book.Refunded += amount + shipping;
                        // Goods brought back over the counter are refunded in cash from the till.
                        var refundMethod = order.WalkIn || random.Next(2) == 0 ? RefundMethod.Cash
                            : order.Paid.Channel == PaymentChannel.Ewallet ? RefundMethod.Ewallet : RefundMethod.Card;
                        // A refund through Stripe may cost a fee there too; it never reaches the member's share.
                        long? refundFee = refundMethod != RefundMethod.Cash ? random.Next(0, 3) * 500L : null;
                        book.StripeFees += refundFee ?? 0;
                        await PublishAsync(new OrderRefunded(order.Paid.OrderId, cooperative, Guid.NewGuid(), refundMethod,
                            [new RefundedLine(line.OrderLineId, line.MemberId, quantity, amount)], shipping, amount + shipping, DateTimeOffset.UtcNow, refundFee));
                        sources++;
                    }
                }
                else if (roll < 92)
                {
                    await DisputeStepAsync();
                }
                else if (roll < 94)
                {
                    await TillStepAsync();
                }
                else if (published.Count > 0)
                {
                    // The broker delivers an earlier message again, with its original id.
                    var (message, id) = published[random.Next(published.Count)];
                    await host.Orders.Services.GetRequiredService<IBus>().Publish(message, message.GetType(), context => context.MessageId = id);
                }
            }
        }

        // A card payment disputed (once per order: its shares held, the amount and Stripe's fee withdrawn), or an open
        // dispute decided: won (the shares owed again, the amount back, the fee kept by Stripe) or lost (reversed as a refund).
        // The decision is often published right after the opening, so it may overtake it.
        async Task DisputeStepAsync()
        {
            var open = orders.Where(o => o.Dispute is not null).ToList();
            if (open.Count > 0 && random.Next(2) == 0)
            {
                var order = open[random.Next(open.Count)];
                var (id, amount, fee, held) = order.Dispute!.Value;
                order.Dispute = null;
                var won = random.Next(2) == 0;
                book.Withheld -= amount + fee;
                book.DisputeFees += fee;
                foreach (var (member, share) in held)
                {
                    Book.Add(book.Held, member, -share);
                }

                var reversed = new List<RefundedLine>();
                var shipping = 0L;
                if (won)
                {
                    book.Received += amount;
                }
                else
                {
                    for (var i = 0; i < order.Paid.Lines.Count; i++)
                    {
                        var line = order.Paid.Lines[i];
                        var left = line.Quantity - order.Refunded[i];
                        if (left == 0)
                        {
                            continue;
                        }

                        var lineFee = (long)Math.Floor(line.LineTotalRupiah * line.FeePercent / 100m);
                        var fee2 = lineFee - order.RefundedFee[i];
                        book.Fees -= fee2;
                        Book.Add(book.Shares, line.MemberId, -(left * line.UnitPriceRupiah - fee2));
                        order.Refunded[i] = line.Quantity;
                        order.RefundedFee[i] = lineFee;
                        reversed.Add(new RefundedLine(line.OrderLineId, line.MemberId, left, left * line.UnitPriceRupiah));
                    }

                    shipping = order.ShippingRefunded ? 0 : order.Paid.ShippingRupiah;
                    order.ShippingRefunded = true;
                }

                await PublishAsync(new OrderDisputeClosed(order.Paid.OrderId, cooperative, id, won, amount, fee, won ? amount : 0, reversed, shipping, DateTimeOffset.UtcNow));
                sources++;
                return;
            }

            var candidates = orders.Where(o => o.Paid.Channel == PaymentChannel.Card && !o.Disputed
                && o.Paid.Lines.Select((l, i) => l.Quantity - o.Refunded[i]).Any(left => left > 0)).ToList();
            if (candidates.Count == 0)
            {
                return;
            }

            var disputed = candidates[random.Next(candidates.Count)];
            var heldShares = new Dictionary<Guid, long>();
            var disputedAmount = disputed.ShippingRefunded ? 0 : disputed.Paid.ShippingRupiah;
            for (var i = 0; i < disputed.Paid.Lines.Count; i++)
            {
                var line = disputed.Paid.Lines[i];
                var lineFee = (long)Math.Floor(line.LineTotalRupiah * line.FeePercent / 100m);
                var share = line.LineTotalRupiah - lineFee - (disputed.Refunded[i] * line.UnitPriceRupiah - disputed.RefundedFee[i]);
                Book.Add(heldShares, line.MemberId, share);
                Book.Add(book.Held, line.MemberId, share);
                disputedAmount += (line.Quantity - disputed.Refunded[i]) * line.UnitPriceRupiah;
            }

            var disputeFee = random.Next(1, 6) * 50_000L;
            var disputeId = "dp_test_" + Guid.NewGuid().ToString("N")[..12];
            disputed.Disputed = true;
            disputed.Dispute = (disputeId, disputedAmount, disputeFee, heldShares);
            book.Received -= disputedAmount + disputeFee;
            book.Withheld += disputedAmount + disputeFee;
            await PublishAsync(new OrderDisputeOpened(disputed.Paid.OrderId, cooperative, disputeId, disputedAmount, disputeFee, "fraudulent", DateTimeOffset.UtcNow.AddDays(7), DateTimeOffset.UtcNow));
            sources++;
        }

        // Cash paid in or out of a till, or a till session's difference: a new session closing, a late sale revising
        // one (only the change is posted), or an older revision published again (it changes nothing).
        async Task TillStepAsync()
        {
            var kind = random.Next(3);
            if (kind == 0)
            {
                var amount = random.Next(1, 40) * 1_000L * (random.Next(2) == 0 ? 1 : -1);
                if (amount > 0)
                {
                    book.TillPaidIn += amount;
                }
                else
                {
                    book.TillPaidOut -= amount;
                }

                book.Received += amount;
                await PublishAsync(new TillCashMoved(Guid.NewGuid(), cooperative, Guid.NewGuid(), amount, amount > 0 ? "uang kembalian" : "beli kantong", "kasir", DateTimeOffset.UtcNow));
                sources++;
                return;
            }

            var sessions = book.TillDifferences.Keys.ToList();
            if (kind == 1 || sessions.Count == 0)
            {
                var session = Guid.NewGuid();
                var difference = random.Next(-20, 21) * 500L;
                book.TillDifferences[session] = (1, difference);
                await PublishAsync(new TillDifferenceRecorded(session, cooperative, 1, difference, "ditutup", "kasir", DateTimeOffset.UtcNow));
                return;
            }

            var revised = sessions[random.Next(sessions.Count)];
            var (revision, last) = book.TillDifferences[revised];
            if (random.Next(4) == 0 && revision > 1)
            {
                // An older revision, published anew: it must not move the books back.
                var older = random.Next(1, revision);
                await PublishAsync(new TillDifferenceRecorded(revised, cooperative, older, random.Next(-50, 50) * 1_000L, null, "kasir", DateTimeOffset.UtcNow));
                return;
            }

            // A late cash sale raised the cash expected: the difference falls by it.
            var lateSale = random.Next(1, 30) * 1_000L;
            book.TillDifferences[revised] = (revision + 1, last - lateSale);
            await PublishAsync(new TillDifferenceRecorded(revised, cooperative, revision + 1, last - lateSale, null, "kasir", DateTimeOffset.UtcNow));
        }

        async Task PublishAsync(object message)
        {
            var id = Guid.NewGuid();
            published.Add((message, id));
            await host.Orders.Services.GetRequiredService<IBus>().Publish(message, message.GetType(), context => context.MessageId = id);
        }

        // How many entries a till session's revisions make depends on which of them arrive before a newer one: counted
        // apart, and converged when every session's newest revision is the one posted.
        async Task<int> EntriesBesideTillDifferencesAsync()
        {
            await using var scope = host.Orders.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<SettlementDbContext>().JournalEntries
                .CountAsync(e => e.CooperativeId == cooperative && !e.Source.StartsWith("till:"));
        }

        async Task<bool> TillDifferencesPostedAsync()
        {
            await using var scope = host.Orders.CreateScope();
            var posted = await scope.ServiceProvider.GetRequiredService<SettlementDbContext>().TillDifferences.AsNoTracking()
                .Where(t => t.CooperativeId == cooperative).ToDictionaryAsync(t => t.TillSessionId, t => (t.Revision, t.DifferenceRupiah));
            return book.TillDifferences.All(d => posted.TryGetValue(d.Key, out var p) && p == d.Value);
        }

        async Task ConvergedAsync() =>
            await Eventually.TrueAsync(async () => await EntriesBesideTillDifferencesAsync() == sources && await TillDifferencesPostedAsync(), TimeSpan.FromMinutes(2),
                "every message to be posted");

        async Task PayOutAsync(bool failSome, long savingsDue)
        {
            var preparer = host.Admin(cooperative, Guid.NewGuid());
            var approver = host.Admin(cooperative, Guid.NewGuid());
            var prepared = await preparer.PostAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/payout-batches", new { minimumRupiah = 1, savingsDueRupiah = savingsDue });
            Assert.Equal(HttpStatusCode.Created, prepared.StatusCode);
            var batch = await prepared.Content.ReadFromJsonAsync<JsonElement>();
            var batchId = batch.GetProperty("id").GetGuid();
            (await approver.PostAsync(new Uri($"/api/settlement/payout-batches/{batchId}/approve", UriKind.Relative), null)).EnsureSuccessStatusCode();
            foreach (var line in batch.GetProperty("lines").EnumerateArray())
            {
                var member = line.GetProperty("memberId").GetGuid();
                Book.Add(book.Savings, member, line.GetProperty("savingsRupiah").GetInt64());
                var fail = failSome && random.Next(3) == 0;
                (await approver.PostAsJsonAsync($"/api/settlement/payout-batches/{batchId}/members/{member}/{(fail ? "failed" : "paid")}", new { reference = fail ? "rekening ditutup" : "TRF-" + member.ToString("N")[..6] }))
                    .EnsureSuccessStatusCode();
                if (!fail)
                {
                    Book.Add(book.PaidOut, member, line.GetProperty("amountRupiah").GetInt64());
                }

                // Each member's reservation and its settlement are an entry each.
                sources += 2;
            }
        }

        await StepsAsync(250);
        await ConvergedAsync();
        await PayOutAsync(failSome: true, savingsDue: 0);
        await StepsAsync(150);
        await ConvergedAsync();
        await PayOutAsync(failSome: false, savingsDue: 5_000);
        Assert.Equal(sources, await EntriesBesideTillDifferencesAsync());
        Assert.True(await TillDifferencesPostedAsync());

        Assert.Empty(await host.UnbalancedEntriesAsync());
        var trial = await host.Admin(cooperative, Guid.NewGuid()).GetFromJsonAsync<JsonElement>($"/api/settlement/cooperatives/{cooperative}/trial-balance");
        long Balance(string account, Guid? member = null) => trial.EnumerateArray()
            .Where(b => b.GetProperty("account").GetString() == account && (member is null || b.GetProperty("memberId").GetString() == member.ToString()))
            .Sum(b => b.GetProperty("balanceRupiah").GetInt64());
        Assert.Equal(0, trial.EnumerateArray().Sum(b => b.GetProperty("balanceRupiah").GetInt64()));
        // The cash in hand also holds what was paid into the tills or out of them, and each till's difference as it finally stands.
        var tillDifferences = book.TillDifferences.Values.Sum(d => d.Difference);
        // Stripe's fees and the application fees came out of the money received, as the cooperative's costs.
        Assert.Equal(book.Received + tillDifferences - book.StripeFees - book.ApplicationFees, Balance("received:card") + Balance("received:cash") + Balance("received:qris") + Balance("received:ewallet"));
        Assert.True(Balance("received:ewallet") > 0);
        Assert.Equal((book.StripeFees, book.ApplicationFees), (Balance("payment-fees:stripe"), Balance("payment-fees:application")));
        Assert.True(book.StripeFees > 0 && book.ApplicationFees > 0);
        Assert.Equal((-book.TillPaidIn, book.TillPaidOut, -tillDifferences), (Balance("till:paid-in"), Balance("till:paid-out"), Balance("till:difference")));
        Assert.Equal(-book.Refunded, Balance("refunds:card") + Balance("refunds:cash") + Balance("refunds:ewallet"));
        Assert.Equal(-book.Fees, Balance("fees"));
        Assert.Equal((book.Withheld, book.DisputeFees, -book.Held.Values.Sum()), (Balance("disputes:withheld"), Balance("payment-fees:disputes"), Balance("member:disputed")));
        Assert.True(book.DisputeFees > 0);
        foreach (var member in members)
        {
            var balance = await host.Member(cooperative, member).GetFromJsonAsync<JsonElement>("/api/settlement/members/me/balance");
            var owed = balance.GetProperty("pendingRupiah").GetInt64() + balance.GetProperty("availableRupiah").GetInt64() + balance.GetProperty("inPayoutRupiah").GetInt64();
            Assert.Equal(book.PaidOut.GetValueOrDefault(member), balance.GetProperty("paidOutRupiah").GetInt64());
            Assert.Equal(book.Savings.GetValueOrDefault(member), balance.GetProperty("savingsRupiah").GetInt64());
            // A share held for an open dispute is owed to her, but neither pending, available nor in a payout.
            Assert.Equal(book.Shares.GetValueOrDefault(member) - book.PaidOut.GetValueOrDefault(member) - book.Savings.GetValueOrDefault(member) - book.Held.GetValueOrDefault(member), owed);
            Assert.Equal(-book.Held.GetValueOrDefault(member), Balance("member:disputed", member));
        }
    }

    [Fact]
    public async Task Two_admins_preparing_batches_at_once_never_pay_an_earning_twice_and_nobody_approves_their_own()
    {
        var cooperative = Guid.NewGuid();
        var members = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var member in members)
        {
            var order = Guid.NewGuid();
            var line = new SoldLine(Guid.NewGuid(), member, Guid.NewGuid(), Guid.NewGuid(), "kerajinan", "Tas", 2, 50_000, 100_000, 10m);
            await host.PublishAsync(new OrderPaid(order, cooperative, PaymentChannel.Card, "pi_x", [line], 0, 100_000, DateTimeOffset.UtcNow), Guid.NewGuid());
            await host.PublishAsync(new OrderLinesFulfilled(order, cooperative, [new FulfilledLine(line.OrderLineId, member, 2)], "handed_over", DateTimeOffset.UtcNow), Guid.NewGuid());
        }

        await Eventually.TrueAsync(async () => await host.EntriesAsync(cooperative) == 10, because: "the sales and hand-overs to be posted");
        var first = host.Admin(cooperative, Guid.NewGuid());
        var second = host.Admin(cooperative, Guid.NewGuid());

        var batches = await Task.WhenAll(
            first.PostAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/payout-batches", new { minimumRupiah = 10_000 }),
            second.PostAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/payout-batches", new { minimumRupiah = 10_000 }));
        var bodies = await Task.WhenAll(batches.Select(b => b.Content.ReadFromJsonAsync<JsonElement>()));
        var paidMembers = bodies.SelectMany(b => b.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("memberId").GetGuid())).ToList();

        Assert.All(batches, b => Assert.Equal(HttpStatusCode.Created, b.StatusCode));
        Assert.Equal(members.Order(), paidMembers.Order());
        Assert.Equal(5 * 90_000, bodies.Sum(b => b.GetProperty("totalRupiah").GetInt64()));

        var full = bodies.Single(b => b.GetProperty("lines").GetArrayLength() == 5).GetProperty("id").GetGuid();
        var preparedByFirst = bodies.Single(b => b.GetProperty("id").GetGuid() == full).GetProperty("preparedBy").GetGuid();
        var (preparer, other) = preparedByFirst == TokenUser(first) ? (first, second) : (second, first);
        var selfApproved = await preparer.PostAsync(new Uri($"/api/settlement/payout-batches/{full}/approve", UriKind.Relative), null);
        var approved = await other.PostAsync(new Uri($"/api/settlement/payout-batches/{full}/approve", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Conflict, selfApproved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
    }

    [Fact]
    public async Task The_bank_file_lists_members_with_an_account_and_a_member_sees_her_balance()
    {
        var cooperative = Guid.NewGuid();
        var member = Guid.NewGuid();
        var order = Guid.NewGuid();
        var line = new SoldLine(Guid.NewGuid(), member, Guid.NewGuid(), Guid.NewGuid(), "kerupuk", "Kerupuk", 3, 25_000, 75_000, 10m);
        await host.PublishAsync(new OrderPaid(order, cooperative, PaymentChannel.Cash, null, [line], 0, 75_000, DateTimeOffset.UtcNow), Guid.NewGuid());
        await Eventually.TrueAsync(async () => await host.EntriesAsync(cooperative) == 1, because: "the sale to be posted");
        var her = host.Member(cooperative, member);

        var pending = await her.GetFromJsonAsync<JsonElement>("/api/settlement/members/me/balance");
        await host.PublishAsync(new OrderLinesFulfilled(order, cooperative, [new FulfilledLine(line.OrderLineId, member, 3)], "handed_over", DateTimeOffset.UtcNow), Guid.NewGuid());
        await Eventually.TrueAsync(async () => await host.EntriesAsync(cooperative) == 2, because: "the hand-over to be posted");
        var proposed = await (await her.PutAsJsonAsync("/api/settlement/members/me/payout-account", new { bank = "002", accountNumber = "0123-01-000123-56-7", accountName = "=Siti Aminah" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        // A second person confirms her account before any payout uses it.
        (await host.Admin(cooperative, Guid.NewGuid()).PostAsync(new Uri($"/api/settlement/payout-account-changes/{proposed.GetProperty("pending").GetProperty("id").GetGuid()}/confirm", UriKind.Relative), null))
            .EnsureSuccessStatusCode();
        var admin = host.Admin(cooperative, Guid.NewGuid());
        var batch = await (await admin.PostAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/payout-batches", new { minimumRupiah = 0, savingsDueRupiah = 10_000 })).Content.ReadFromJsonAsync<JsonElement>();
        var csv = await admin.GetStringAsync(new Uri($"/api/settlement/payout-batches/{batch.GetProperty("id").GetGuid()}/bank-transfers.csv", UriKind.Relative));
        var after = await her.GetFromJsonAsync<JsonElement>("/api/settlement/members/me/balance");

        var batchId = batch.GetProperty("id").GetGuid();
        var pdf = await her.GetAsync(new Uri($"/api/settlement/payout-batches/{batchId}/members/{member}/statement.pdf", UriKind.Relative));
        var someoneElse = await host.Member(cooperative, Guid.NewGuid()).GetAsync(new Uri($"/api/settlement/payout-batches/{batchId}/members/{member}/statement.pdf", UriKind.Relative));
        await using (var scope = host.Orders.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SettlementDbContext>();
            var saved = await db.PayoutBatches.Include(b => b.Lines).SingleAsync(b => b.Id == batchId);
            var settles = await Marketplace.Orders.Settlement.Payouts.Statements.LinesAsync(db, saved, member, CancellationToken.None);
            Assert.Equal(67_500, Assert.Single(settles).AmountRupiah);
        }

        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString((await pdf.Content.ReadAsByteArrayAsync())[..4]));
        Assert.Equal(HttpStatusCode.NotFound, someoneElse.StatusCode);
        Assert.Equal(67_500, pending.GetProperty("pendingRupiah").GetInt64());
        Assert.Equal(0, pending.GetProperty("availableRupiah").GetInt64());
        // Rp 67.500 available, Rp 10.000 simpanan wajib deducted: Rp 57.500 transferred.
        Assert.Equal(57_500, after.GetProperty("inPayoutRupiah").GetInt64());
        Assert.Equal(10_000, after.GetProperty("savingsRupiah").GetInt64());
        Assert.Contains("\"BRI\",\"012301000123567\",\"'=Siti Aminah\",57500,BAYAR-", csv, StringComparison.Ordinal);
    }

    private static Guid TokenUser(HttpClient client)
    {
        var token = client.DefaultRequestHeaders.Authorization!.Parameter!;
        var payload = token.Split('.')[1];
        var json = Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=').Replace('-', '+').Replace('_', '/'));
        return JsonDocument.Parse(json).RootElement.GetProperty("sub").GetGuid();
    }
}

public sealed class SettlementReportTests(SettlementHost host) : IClassFixture<SettlementHost>
{
    [Fact]
    public async Task The_SHU_of_a_worked_example_matches_the_hand_calculation()
    {
        var cooperative = Guid.NewGuid();
        var (siti, ani, wati) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var paidAt = new DateTimeOffset(2026, 6, 15, 10, 0, 0, TimeSpan.FromHours(7));
        // Siti sold Rp 2.000.000 (one Rp 500.000 line later refunded: Rp 1.500.000 net), Ani Rp 1.000.000, Wati nothing.
        var sitiRefundable = new SoldLine(Guid.NewGuid(), siti, Guid.NewGuid(), Guid.NewGuid(), "batik", "Batik", 1, 500_000, 500_000, 10m);
        var order = Guid.NewGuid();
        await host.PublishAsync(new OrderPaid(order, cooperative, PaymentChannel.Card, "pi_1", [
            new SoldLine(Guid.NewGuid(), siti, Guid.NewGuid(), Guid.NewGuid(), "batik", "Batik", 3, 500_000, 1_500_000, 10m), sitiRefundable], 0, 2_000_000, paidAt), Guid.NewGuid());
        await host.PublishAsync(new OrderPaid(Guid.NewGuid(), cooperative, PaymentChannel.Cash, null, [
            new SoldLine(Guid.NewGuid(), ani, Guid.NewGuid(), Guid.NewGuid(), "kerupuk", "Kerupuk", 40, 25_000, 1_000_000, 10m)], 0, 1_000_000, paidAt), Guid.NewGuid());
        await host.PublishAsync(new OrderRefunded(order, cooperative, Guid.NewGuid(), RefundMethod.Card,
            [new RefundedLine(sitiRefundable.OrderLineId, siti, 1, 500_000)], 0, 500_000, paidAt.AddDays(1)), Guid.NewGuid());
        await Eventually.TrueAsync(async () => await host.EntriesAsync(cooperative) == 3, because: "the sales and the refund to be posted");
        var admin = host.Admin(cooperative, Guid.NewGuid());

        var response = await admin.PostAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/shu", new
        {
            year = 2026,
            jasaUsahaPercent = 40m,
            jasaModalPercent = 25m,
            savings = new[] { new { memberId = siti, savingsRupiah = 600_000L }, new { memberId = ani, savingsRupiah = 900_000L }, new { memberId = wati, savingsRupiah = 1_500_000L } },
        });
        var shu = await response.Content.ReadFromJsonAsync<JsonElement>();
        long Total(Guid member) => shu.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("memberId").GetGuid() == member).GetProperty("totalRupiah").GetInt64();

        // By hand: the surplus in the books is the fees, 10 % of 3.000.000 less 50.000 given back = 250.000 (no costs).
        // Jasa usaha pool 100.000, jasa modal pool 62.500; transactions 1.500.000 + 1.000.000 = 2.500.000;
        // savings 600.000 + 900.000 + 1.500.000 = 3.000.000.
        // Siti: 1.500.000/2.500.000 x 100.000 = 60.000; 600.000/3.000.000 x 62.500 = 12.500 -> 72.500
        // Ani:  1.000.000/2.500.000 x 100.000 = 40.000; 900.000/3.000.000 x 62.500 = 18.750 -> 58.750
        // Wati: 0 + 1.500.000/3.000.000 x 62.500 = 31.250
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(250_000, shu.GetProperty("surplusRupiah").GetInt64());
        Assert.Equal(100_000, shu.GetProperty("jasaUsahaPoolRupiah").GetInt64());
        Assert.Equal(62_500, shu.GetProperty("jasaModalPoolRupiah").GetInt64());
        Assert.Equal(72_500, Total(siti));
        Assert.Equal(58_750, Total(ani));
        Assert.Equal(31_250, Total(wati));
        Assert.Equal(0, shu.GetProperty("unallocatedRupiah").GetInt64());

        var omzet = await admin.GetFromJsonAsync<JsonElement>($"/api/settlement/cooperatives/{cooperative}/reports/omzet?from=2026-06-01&to=2026-06-30&by=channel");
        var card = omzet.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "card");
        Assert.Equal(2_000_000, card.GetProperty("grossRupiah").GetInt64());
        Assert.Equal(500_000, card.GetProperty("refundedRupiah").GetInt64());
        Assert.Equal(2_500_000, omzet.GetProperty("totals").GetProperty("netRupiah").GetInt64());
        Assert.Equal(250_000, omzet.GetProperty("totals").GetProperty("feesRupiah").GetInt64());
        var xlsx = await admin.GetAsync(new Uri($"/api/settlement/cooperatives/{cooperative}/reports/omzet?from=2026-06-01&to=2026-06-30&by=member&format=xlsx", UriKind.Relative));
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        Assert.Equal("PK", System.Text.Encoding.ASCII.GetString((await xlsx.Content.ReadAsByteArrayAsync())[..2]));
    }
}

public sealed class HoldingPeriodTests(SettlementHost host) : IClassFixture<SettlementHost>
{
    [Fact]
    public async Task A_handed_over_sale_stays_pending_through_the_holding_period_then_becomes_payable_once()
    {
        var cooperative = Guid.NewGuid();
        var member = Guid.NewGuid();
        var admin = host.Admin(cooperative, Guid.NewGuid());
        (await admin.PutAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/settings", new { holdingDays = 3 })).EnsureSuccessStatusCode();
        var order = Guid.NewGuid();
        var line = new SoldLine(Guid.NewGuid(), member, Guid.NewGuid(), Guid.NewGuid(), "kerupuk", "Kerupuk", 2, 30_000, 60_000, 10m);
        await host.PublishAsync(new OrderPaid(order, cooperative, PaymentChannel.Card, "pi_h", [line], 0, 60_000, DateTimeOffset.UtcNow), Guid.NewGuid());
        await host.PublishAsync(new OrderLinesFulfilled(order, cooperative, [new FulfilledLine(line.OrderLineId, member, 2)], "handed_over", DateTimeOffset.UtcNow), Guid.NewGuid());
        await Eventually.TrueAsync(async () => await host.EntriesAsync(cooperative) == 2, because: "the sale and the hand-over to be posted");
        var her = host.Member(cooperative, member);
        var release = host.Orders.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Marketplace.Orders.Settlement.Ledger.HeldEarningsRelease>().Single();

        var held = await her.GetFromJsonAsync<JsonElement>("/api/settlement/members/me/balance");
        Assert.Equal(0, await release.ReleaseDueAsync(CancellationToken.None));
        await using (var scope = host.Orders.CreateScope())
        {
            // Three days pass.
            await scope.ServiceProvider.GetRequiredService<SettlementDbContext>().Database
                .ExecuteSqlAsync($"UPDATE settlement.sale_lines SET available_from = now() - interval '1 minute' WHERE order_line_id = {line.OrderLineId}");
        }

        var released = await release.ReleaseDueAsync(CancellationToken.None);
        var again = await release.ReleaseDueAsync(CancellationToken.None);
        var payable = await her.GetFromJsonAsync<JsonElement>("/api/settlement/members/me/balance");

        Assert.Equal(54_000, held.GetProperty("pendingRupiah").GetInt64());
        Assert.Equal(0, held.GetProperty("availableRupiah").GetInt64());
        Assert.Equal(1, released);
        Assert.Equal(0, again);
        Assert.Equal(0, payable.GetProperty("pendingRupiah").GetInt64());
        Assert.Equal(54_000, payable.GetProperty("availableRupiah").GetInt64());

        var batch = await (await admin.PostAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/payout-batches", new { minimumRupiah = 0 })).Content.ReadFromJsonAsync<JsonElement>();
        var mine = await her.GetFromJsonAsync<JsonElement>("/api/settlement/members/me/payouts");
        var shuCsv = await admin.PostAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/shu?format=csv",
            new { year = Marketplace.ServiceDefaults.Formatting.LocalTime.Today(DateTimeOffset.UtcNow).Year, jasaUsahaPercent = 50m, jasaModalPercent = 0m });
        Assert.Equal(batch.GetProperty("id").GetGuid(), Assert.Single(mine.EnumerateArray()).GetProperty("batchId").GetGuid());
        // The year's surplus is the fee, 6.000: half of it is the jasa usaha pool, all hers.
        Assert.Contains($"{member},60000,0,3000,0,3000", await shuCsv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
