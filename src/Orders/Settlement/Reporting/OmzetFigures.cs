using System.Globalization;
using Marketplace.Orders.Settlement.Cooperatives;
using Marketplace.Orders.Settlement.Ledger;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Orders.Settlement.Reporting;

/// <summary>
/// Omzet (sales) figures: gross is what was sold; refunds what was given back since (of the fee and of the share);
/// fees the cooperative's fee less what refunds gave back; net gross less refunds; units those sold and not given back.
/// Days and months are the cooperative's own.
/// </summary>
public static class OmzetFigures
{
    public static readonly IReadOnlyList<string> Groupings = ["member", "product", "category", "channel", "day", "month"];

    /// <summary>A report over at most five years, from a day on or before its last.</summary>
    public static void Check(string by, DateOnly from, DateOnly to)
    {
        if (!Groupings.Contains(by) || to < from || to.DayNumber - from.DayNumber > 366 * 5)
        {
            throw new DomainException($"by is one of {string.Join(", ", Groupings)}; from is on or before to, at most five years apart.", "invalid_report");
        }
    }

    /// <summary>One row per group (by member id, product name, category, channel, local day or local month), in key order.</summary>
    public static List<OmzetRow> Rows(string by, IEnumerable<SaleLine> lines, TimeZoneInfo zone) =>
        lines.GroupBy(l => Key(by, l, zone))
            .Select(g => Row(g.Key, g))
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .ToList();

    public static OmzetRow Row(string key, IEnumerable<SaleLine> lines)
    {
        var list = lines.ToList();
        var gross = list.Sum(l => l.GrossRupiah);
        var refunded = list.Sum(l => l.RefundedFeeRupiah + l.RefundedShareRupiah);
        var fees = list.Sum(l => l.FeeRupiah - l.RefundedFeeRupiah);
        return new OmzetRow(key, gross, fees, refunded, gross - refunded, list.Sum(l => l.Quantity - l.RefundedQuantity));
    }

    private static string Key(string by, SaleLine line, TimeZoneInfo zone) => by switch
    {
        "member" => line.MemberId.ToString(),
        "product" => line.Name,
        "category" => line.Category,
        "channel" => SaleChannels.Key(line.Channel),
        "day" => CooperativeCalendar.Local(line.SoldAt, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => CooperativeCalendar.Local(line.SoldAt, zone).ToString("yyyy-MM", CultureInfo.InvariantCulture),
    };
}
