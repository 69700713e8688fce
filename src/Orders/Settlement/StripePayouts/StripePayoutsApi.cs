using Marketplace.Orders.Settlement.Data;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Settlement.StripePayouts;

/// <summary>
/// How a payout's line stands against the books: <c>matched</c> (an entry moved exactly its net), <c>different</c> (the entry
/// moved another amount), <c>missing</c> (the marketplace knows what it is, but its entry is not in the books), or
/// <c>unknown</c> (nothing here explains it: money at Stripe that no order, refund or dispute of the marketplace made).
/// </summary>
public enum PayoutLineMatch
{
    Matched,
    Different,
    Missing,
    Unknown,
}

public sealed record StripePayoutLineResponse(
    string TransactionId, string Kind, string Source, long AmountRupiah, long FeeRupiah, long NetRupiah, long? FoundRupiah, PayoutLineMatch Match,
    Guid? OrderId, Guid? RefundId, string? DisputeId, string? PaymentMethod = null);

/// <summary>A payout: Stripe's amount, what its transactions add up to, what the books hold of them, and each line.</summary>
public sealed record StripePayoutResponse(
    string Id, long AmountRupiah, DateTimeOffset ArrivalDate, DateTimeOffset ReceivedAt, long ExpectedRupiah, long FoundRupiah, int MatchedCount, int UnmatchedCount,
    bool Reconciled, IReadOnlyList<StripePayoutLineResponse> Lines);

public static class StripePayoutsApi
{
    internal static RouteGroupBuilder MapStripePayoutsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/cooperatives/{cooperativeId:guid}/stripe-payouts", ListAsync)
            .RequireAdminOfRouteCooperative()
            .WithTags("Settlement")
            .WithName("StripePayoutReconciliation")
            .WithSummary("Stripe's payouts to the cooperative's bank, newest first (at most 30), each balance transaction matched to the books to the rupiah.");
        return api;
    }

    private static async Task<Ok<List<StripePayoutResponse>>> ListAsync(Guid cooperativeId, SettlementDbContext db, CancellationToken cancellationToken)
    {
        var payouts = await db.StripePayouts.AsNoTracking().Where(p => p.CooperativeId == cooperativeId)
            .OrderByDescending(p => p.ReceivedAt).Take(30).ToListAsync(cancellationToken);
        // A payment's fees learnt after its sale sit in an entry of their own: it counts with the sale's.
        var sources = payouts.SelectMany(p => p.Lines).SelectMany(l => l is { OrderId: { } order, Kind: "charge" or "payment" }
            ? new[] { l.LedgerSource, Ledger.SalePostings.PaymentFeeSource(order) } : [l.LedgerSource]).OfType<string>().Distinct().ToList();
        // What each named entry moved in the money at Stripe: money received and given back (by whichever channel Stripe took
        // it: card or an e-wallet through Stripe), and what was paid out. An entry with no such movement still counts as found: 0.
        var found = await (
            from entry in db.JournalEntries
            where entry.CooperativeId == cooperativeId && sources.Contains(entry.Source)
            select new
            {
                entry.Source,
                Moved = db.JournalLines.Where(l => l.EntryId == entry.Id
                    && (EF.Functions.Like(l.Account, "received:%") || EF.Functions.Like(l.Account, "refunds:%") || l.Account == Ledger.Accounts.StripePaidOut)).Sum(l => (long?)l.AmountRupiah) ?? 0,
            }).ToDictionaryAsync(x => x.Source, x => x.Moved, cancellationToken);
        return TypedResults.Ok(payouts.Select(p => Describe(p, found)).ToList());
    }

    public static StripePayoutResponse Describe(StripePayoutReconciliation payout, IReadOnlyDictionary<string, long> found)
    {
        ArgumentNullException.ThrowIfNull(payout);
        ArgumentNullException.ThrowIfNull(found);
        var lines = payout.Lines.OrderBy(l => l.Position).Select(l =>
        {
            long? moved = l.LedgerSource is { } source && found.TryGetValue(source, out var amount)
                ? amount + (l is { OrderId: { } order, Kind: "charge" or "payment" } ? found.GetValueOrDefault(Ledger.SalePostings.PaymentFeeSource(order)) : 0)
                : null;
            var match = l.LedgerSource is null ? PayoutLineMatch.Unknown
                : moved is null ? PayoutLineMatch.Missing
                : moved == l.NetRupiah ? PayoutLineMatch.Matched
                : PayoutLineMatch.Different;
            return new StripePayoutLineResponse(l.TransactionId, l.Kind, l.Source, l.AmountRupiah, l.FeeRupiah, l.NetRupiah, moved, match, l.OrderId, l.RefundId, l.DisputeId, l.PaymentMethod);
        }).ToList();
        // The payout's own transaction takes the others' sum off the balance: it is compared, not added.
        var contents = lines.Where(l => l.Kind != "payout").ToList();
        var matched = lines.Count(l => l.Match == PayoutLineMatch.Matched);
        return new StripePayoutResponse(payout.Id, payout.AmountRupiah, payout.ArrivalDate, payout.ReceivedAt,
            contents.Sum(l => l.NetRupiah), contents.Sum(l => l.FoundRupiah ?? 0), matched, lines.Count - matched,
            matched == lines.Count && contents.Sum(l => l.NetRupiah) == payout.AmountRupiah, lines);
    }
}
