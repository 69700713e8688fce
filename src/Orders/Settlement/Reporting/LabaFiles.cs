using System.Globalization;
using System.Text;
using Marketplace.ServiceDefaults.Formatting;
using SpreadCheetah;

namespace Marketplace.Orders.Settlement.Reporting;

/// <summary>
/// A member's laba as files she opens in a spreadsheet: one row per product, then her other costs and the month's total.
/// The same figures as the report (<see cref="Rows"/>); product names are hers, so text goes through the formula guard.
/// </summary>
public static class LabaFiles
{
    private static readonly string[] Header =
        ["Produk", "Omzet (Rp)", "Fee koperasi (Rp)", "Pengembalian (Rp)", "Diterima bersih (Rp)", "HPP (Rp)", "HPP lengkap", "Biaya lain (Rp)", "Laba (Rp)", "Margin (%)", "Unit"];

    /// <summary>The products, then the month's total (with its other costs); the same rows in both files.</summary>
    public static IEnumerable<LabaRow> Rows(MemberLabaReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Products.Append(report.Totals with { Name = "Jumlah " + report.Month });
    }

    public static string Csv(MemberLabaReport report)
    {
        var csv = new StringBuilder("product,omzet_rupiah,fee_rupiah,refunded_rupiah,net_rupiah,cost_of_goods_rupiah,cost_of_goods_complete,other_costs_rupiah,laba_rupiah,margin_percent,units\n");
        foreach (var row in Rows(report))
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{Marketplace.ServiceDefaults.Formatting.Csv.Quoted(row.Name)},{row.OmzetRupiah},{row.FeeRupiah},{row.RefundedRupiah},{row.NetRupiah},{row.CostOfGoodsRupiah},{(row.CostOfGoodsComplete ? "yes" : "no")},{row.OtherCostsRupiah},{row.LabaRupiah},{row.MarginPercent?.ToString("0.0", CultureInfo.InvariantCulture)},{row.Units}\n");
        }

        return csv.ToString();
    }

    public static async Task<byte[]> XlsxAsync(MemberLabaReport report, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        await using (var spreadsheet = await Spreadsheet.CreateNewAsync(stream, cancellationToken: cancellationToken))
        {
            await spreadsheet.StartWorksheetAsync("Laba " + report.Month, token: cancellationToken);
            await spreadsheet.AddRowAsync(Header.Select(h => new DataCell(h)).ToArray(), cancellationToken);
            foreach (var row in Rows(report))
            {
                await spreadsheet.AddRowAsync(
                [
                    new DataCell(row.Name), new DataCell(row.OmzetRupiah), new DataCell(row.FeeRupiah), new DataCell(row.RefundedRupiah), new DataCell(row.NetRupiah),
                    new DataCell(row.CostOfGoodsRupiah), new DataCell(row.CostOfGoodsComplete ? "ya" : "tidak"), new DataCell(row.OtherCostsRupiah), new DataCell(row.LabaRupiah),
                    row.MarginPercent is { } margin ? new DataCell(margin) : new DataCell(string.Empty), new DataCell(row.Units),
                ], cancellationToken);
            }

            await spreadsheet.FinishAsync(cancellationToken);
        }

        return stream.ToArray();
    }
}
