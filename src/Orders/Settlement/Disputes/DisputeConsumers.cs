using MassTransit;
using Marketplace.Contracts.Orders;
using Marketplace.Orders.Settlement.Data;
using Marketplace.Orders.Settlement.Ledger;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Settlement.Disputes;

/// <summary>Holds the order's shares as <see cref="DisputePostings.Opened"/> says, once, after its sale.</summary>
public sealed class OrderDisputeOpenedPosting(SettlementDbContext db) : IdempotentConsumer<OrderDisputeOpened, SettlementDbContext>(db)
{
    protected override async Task HandleAsync(OrderDisputeOpened message, ConsumeContext<OrderDisputeOpened> context, CancellationToken cancellationToken) =>
        await DisputeBooks.HoldAsync(Db, message.CooperativeId, message.OrderId, message.DisputeId, message.AmountRupiah, message.FeeRupiah, message.OpenedAt, cancellationToken);
}

/// <summary>
/// Books a decided dispute once. It may overtake its opening on the way (another queue): then the shares are held first,
/// from what this message says, and the opening finds that done when it comes.
/// </summary>
public sealed class OrderDisputeClosedPosting(SettlementDbContext db) : IdempotentConsumer<OrderDisputeClosed, SettlementDbContext>(db)
{
    protected override async Task HandleAsync(OrderDisputeClosed message, ConsumeContext<OrderDisputeClosed> context, CancellationToken cancellationToken)
    {
        var source = DisputePostings.ClosedSource(message.DisputeId, message.Won);
        if (await Db.JournalEntries.AnyAsync(e => e.Source == source, cancellationToken))
        {
            return;
        }

        var (lines, withheld) = await DisputeBooks.HoldAsync(Db, message.CooperativeId, message.OrderId, message.DisputeId, message.AmountRupiah, message.FeeRupiah, message.ClosedAt, cancellationToken);
        Db.JournalEntries.Add(message.Won
            ? DisputePostings.Won(message, lines, withheld)
            : DisputePostings.Lost(message, lines.ToDictionary(l => l.OrderLineId), withheld));
    }
}

internal static class DisputeBooks
{
    /// <summary>
    /// Posts the hold unless it is in the books already. Returns the order's sale lines (tracked, for the caller to change)
    /// and what the hold withdrew into <c>disputes:withheld</c>.
    /// </summary>
    public static async Task<(List<SaleLine> Lines, long Withheld)> HoldAsync(
        SettlementDbContext db, Guid cooperativeId, Guid orderId, string disputeId, long amountRupiah, long feeRupiah, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var saleSource = SalePostings.SaleSource(orderId);
        if (!await db.JournalEntries.AnyAsync(e => e.Source == saleSource, cancellationToken))
        {
            throw new InvalidOperationException($"Dispute {disputeId} arrived before the sale of order {orderId} is in the books.");
        }

        var lines = await db.SaleLines.Where(l => l.OrderId == orderId).ToListAsync(cancellationToken);
        var source = DisputePostings.OpenedSource(disputeId);
        var opened = await db.JournalEntries.Where(e => e.Source == source)
            .Select(e => (long?)db.JournalLines.Where(l => l.EntryId == e.Id && l.Account == Accounts.DisputesWithheld).Sum(l => l.AmountRupiah))
            .FirstOrDefaultAsync(cancellationToken);
        if (opened is { } withheld)
        {
            return (lines, withheld);
        }

        db.JournalEntries.Add(DisputePostings.Opened(cooperativeId, orderId, disputeId, amountRupiah, feeRupiah, at, lines));
        return (lines, amountRupiah + feeRupiah);
    }
}
