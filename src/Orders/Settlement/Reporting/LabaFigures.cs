using Marketplace.Orders.Settlement.Costs;
using Marketplace.Orders.Settlement.Ledger;

namespace Marketplace.Orders.Settlement.Reporting;

/// <summary>
/// One product's (or the month's) laba: omzet is the gross of her lines; the fee what the cooperative kept (less what
/// refunds gave back of it); refunds what went back to buyers; net what she receives (omzet − fee − refunds, her share
/// of the ledger); cost of goods what the goods that stayed sold cost her; laba = net − cost of goods − other costs;
/// margin = laba / omzet in percent, one decimal, none without omzet. <see cref="CostOfGoodsComplete"/> is false when
/// some goods came from a batch without a recorded cost (counted as 0).
/// </summary>
public sealed record LabaRow(string Key, string Name, long OmzetRupiah, long FeeRupiah, long RefundedRupiah, long NetRupiah, long CostOfGoodsRupiah,
    bool CostOfGoodsComplete, long OtherCostsRupiah, long LabaRupiah, decimal? MarginPercent, int Units);

/// <summary>A month's omzet and laba, for the chart.</summary>
public sealed record LabaMonth(string Month, long OmzetRupiah, long LabaRupiah);

public sealed record MemberLabaReport(Guid MemberId, string Month, IReadOnlyList<LabaRow> Products, LabaRow Totals, IReadOnlyList<LabaMonth> Months);

/// <summary>
/// The member's laba, by product and in total. Sales and refunds count in the month of the sale (as the omzet report
/// counts them); the goods' cost in the month of the sale it belongs to (a restock reverses it there); other costs in
/// the month of their date. Other costs belong to no product: they count in the total only.
/// </summary>
public static class LabaFigures
{
    public static decimal? Margin(long laba, long omzet) =>
        omzet == 0 ? null : Math.Round(laba * 100m / omzet, 1, MidpointRounding.AwayFromZero);

    public static string ProductKey(SaleLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.ProductId is { } id ? id.ToString() : "name:" + line.Name;
    }

    public static List<LabaRow> Products(IReadOnlyCollection<SaleLine> lines, IReadOnlyCollection<GoodsCost> goods, IReadOnlyDictionary<Guid, string> names)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(goods);
        ArgumentNullException.ThrowIfNull(names);
        var keys = lines.Select(ProductKey).Union(goods.Select(g => g.ProductId.ToString())).Distinct();
        return keys.Select(key =>
            {
                var sold = lines.Where(l => ProductKey(l) == key).ToList();
                var cost = goods.Where(g => g.ProductId.ToString() == key).ToList();
                var name = sold.Select(l => l.Name).LastOrDefault()
                    ?? (Guid.TryParse(key, out var id) ? names.GetValueOrDefault(id) : null) ?? string.Empty;
                return Row(key, name, sold, cost, 0);
            })
            .OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
    }

    public static LabaRow Row(string key, string name, IReadOnlyCollection<SaleLine> lines, IReadOnlyCollection<GoodsCost> goods, long otherCostsRupiah)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(goods);
        var omzet = OmzetFigures.Row(key, lines);
        var cogs = goods.Sum(g => g.CostRupiah);
        // OmzetFigures' net is gross less refunds; what she receives is that less the cooperative's fee.
        var net = omzet.NetRupiah - omzet.FeesRupiah;
        var laba = net - cogs - otherCostsRupiah;
        return new LabaRow(key, name, omzet.GrossRupiah, omzet.FeesRupiah, omzet.RefundedRupiah, net, cogs, goods.All(g => g.CostKnown), otherCostsRupiah,
            laba, Margin(laba, omzet.GrossRupiah), omzet.Units);
    }
}
