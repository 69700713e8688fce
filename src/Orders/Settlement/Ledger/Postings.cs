using MassTransit;
using Marketplace.Contracts.Orders;
using Marketplace.Orders.Settlement.Data;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Settlement.Ledger;

/// <summary>
/// A sale: the whole payment to money received, each line's fee to the cooperative's income and the rest to its
/// member as pending (payable once the line reaches the shopper), the shipping to the cooperative.
/// </summary>
public sealed class OrderPaidPosting(SettlementDbContext db) : IdempotentConsumer<OrderPaid, SettlementDbContext>(db)
{
    protected override async Task HandleAsync(OrderPaid message, ConsumeContext<OrderPaid> context, CancellationToken cancellationToken)
    {
        var source = $"sale:{message.OrderId}";
        if (await Db.JournalEntries.AnyAsync(e => e.Source == source, cancellationToken))
        {
            return;
        }

        // The ledger names its accounts per channel in lower case: received:card, received:cash, received:qris.
        var channel = message.Channel.ToString().ToLowerInvariant();
        var lines = message.Lines.Select(l => SaleLine.Sell(l, message.OrderId, message.CooperativeId, channel, message.PaidAt)).ToList();
        Db.SaleLines.AddRange(lines);

        var postings = new List<(string, Guid?, long)> { (Accounts.Received(channel), null, message.TotalRupiah) };
        postings.AddRange(lines.Select(l => (Accounts.MemberPending, (Guid?)l.MemberId, -l.ShareRupiah)));
        postings.Add((Accounts.FeeIncome, null, -lines.Sum(l => l.FeeRupiah)));
        postings.Add((Accounts.ShippingIncome, null, -message.ShippingRupiah));
        Db.JournalEntries.Add(JournalEntry.Post(message.CooperativeId, source, "sale", $"Order {message.OrderId} paid ({channel})", message.PaidAt, postings));
    }
}

/// <summary>Lines reached the shopper: their members' open shares move from pending to available.</summary>
public sealed class OrderLinesFulfilledPosting(SettlementDbContext db) : IdempotentConsumer<OrderLinesFulfilled, SettlementDbContext>(db)
{
    protected override async Task HandleAsync(OrderLinesFulfilled message, ConsumeContext<OrderLinesFulfilled> context, CancellationToken cancellationToken)
    {
        var source = $"fulfilment:{message.OrderId}";
        if (await Db.JournalEntries.AnyAsync(e => e.Source == source, cancellationToken))
        {
            return;
        }

        var ids = message.Lines.Select(l => l.OrderLineId).ToList();
        var sold = await Db.SaleLines.Where(l => ids.Contains(l.OrderLineId)).ToListAsync(cancellationToken);
        if (sold.Count != ids.Count)
        {
            // The sale's message has not been posted yet (messages of one order may arrive out of order): retry later.
            throw new InvalidOperationException($"Order {message.OrderId} is fulfilled before its sale is in the books.");
        }

        var holding = TimeSpan.FromDays((await Db.CooperativeSettings.FindAsync([message.CooperativeId], cancellationToken))?.HoldingDays ?? 0);
        var postings = new List<(string, Guid?, long)>();
        foreach (var line in sold.Where(l => l.Fulfil(message.At, holding)))
        {
            if (holding > TimeSpan.Zero)
            {
                // Held: the release job makes it available when the holding period ends.
                continue;
            }

            line.Release(message.At);
            postings.Add((Accounts.MemberPending, line.MemberId, line.OpenShareRupiah));
            postings.Add((Accounts.MemberAvailable, line.MemberId, -line.OpenShareRupiah));
        }

        Db.JournalEntries.Add(JournalEntry.Post(message.CooperativeId, source, "fulfilment", $"Order {message.OrderId} {message.How}", message.At, postings));
    }
}

/// <summary>
/// A refund reverses what it gives back: each member's share of it (from pending, or from available once handed
/// over, which may go negative after a payout and is netted against her next one), the cooperative's fee on it, and
/// the shipping; the money leaves by the refund's channel.
/// </summary>
public sealed class OrderRefundedPosting(SettlementDbContext db) : IdempotentConsumer<OrderRefunded, SettlementDbContext>(db)
{
    protected override async Task HandleAsync(OrderRefunded message, ConsumeContext<OrderRefunded> context, CancellationToken cancellationToken)
    {
        var source = $"refund:{message.RefundId}";
        if (await Db.JournalEntries.AnyAsync(e => e.Source == source, cancellationToken))
        {
            return;
        }

        var ids = message.Lines.Select(l => l.OrderLineId).ToList();
        var sold = await Db.SaleLines.Where(l => ids.Contains(l.OrderLineId)).ToDictionaryAsync(l => l.OrderLineId, cancellationToken);
        if (sold.Count != ids.Distinct().Count() || !await Db.JournalEntries.AnyAsync(e => e.Source == $"sale:{message.OrderId}", cancellationToken))
        {
            throw new InvalidOperationException($"Refund {message.RefundId} arrived before its sale is in the books.");
        }

        var channel = message.Method == RefundMethod.Card ? "card" : "cash";
        var postings = new List<(string, Guid?, long)> { (Accounts.RefundsPaid(channel), null, -message.TotalRupiah) };
        foreach (var refunded in message.Lines)
        {
            var line = sold[refunded.OrderLineId];
            var (fee, share) = line.Refund(refunded.Quantity, refunded.AmountRupiah);
            postings.Add((line.ReleasedAt is null ? Accounts.MemberPending : Accounts.MemberAvailable, line.MemberId, share));
            postings.Add((Accounts.FeeIncome, null, fee));
        }

        postings.Add((Accounts.ShippingIncome, null, message.ShippingRupiah));
        Db.JournalEntries.Add(JournalEntry.Post(message.CooperativeId, source, "refund", $"Refund {message.RefundId} of order {message.OrderId}", message.RefundedAt, postings));
    }
}
