using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Orders.Settlement.Reporting;

/// <summary>
/// The SHU (sisa hasil usaha) the members' meeting shares out. The pools are the surplus times the percentages the
/// statutes give jasa usaha and jasa modal, each rounded down to the whole rupiah. Per member:
/// (her transactions / all members' transactions) x jasa usaha pool + (her savings / all savings) x jasa modal pool,
/// each part rounded down; what rounding leaves stays with the cooperative. A member whose refunds exceed her sales
/// counts no transactions (never a negative share).
/// </summary>
public static class ShuFormula
{
    public const string InvalidCode = "invalid_shu";

    public const string InvalidMessage = "The surplus and savings are 0 or more, and the two pools' percentages add up to at most 100.";

    public static ShuAllocation Allocate(
        long surplusRupiah, decimal jasaUsahaPercent, decimal jasaModalPercent, IReadOnlyDictionary<Guid, long> transactions, IReadOnlyDictionary<Guid, long> savings)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(savings);
        if (surplusRupiah < 0 || jasaUsahaPercent < 0 || jasaModalPercent < 0 || jasaUsahaPercent + jasaModalPercent > 100 || savings.Values.Any(s => s < 0))
        {
            throw new DomainException(InvalidMessage, InvalidCode);
        }

        var usahaPool = (long)Math.Floor(surplusRupiah * jasaUsahaPercent / 100m);
        var modalPool = (long)Math.Floor(surplusRupiah * jasaModalPercent / 100m);
        var allTransactions = transactions.Values.Where(v => v > 0).Sum();
        var allSavings = savings.Values.Sum();
        var shares = transactions.Keys.Union(savings.Keys)
            .Select(member =>
            {
                var tx = Math.Max(0, transactions.GetValueOrDefault(member));
                var saved = savings.GetValueOrDefault(member);
                return new ShuShare(member, tx, saved, Part(tx, allTransactions, usahaPool), Part(saved, allSavings, modalPool));
            })
            .OrderByDescending(s => s.TotalRupiah)
            .ThenBy(s => s.MemberId)
            .ToList();
        return new ShuAllocation(usahaPool, modalPool, shares);
    }

    private static long Part(long hers, long all, long pool) => all == 0 ? 0 : (long)Math.Floor((decimal)hers * pool / all);
}
