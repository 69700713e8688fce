using System.Globalization;
using System.Text;
using Marketplace.ServiceDefaults.Formatting;
using SpreadCheetah;

namespace Marketplace.Orders.Settlement.Reporting;

/// <summary>
/// The reports as files an admin opens in a spreadsheet. Text goes through <see cref="Csv"/>'s formula guard (a
/// product is named by its maker); the xlsx writes text as text cells, which a spreadsheet never evaluates.
/// </summary>
public static class ReportFiles
{
    public static string OmzetCsv(string by, IEnumerable<OmzetRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var csv = new StringBuilder($"{by},gross_rupiah,fees_rupiah,refunded_rupiah,net_rupiah,units\n");
        foreach (var row in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{Csv.Quoted(row.Key)},{row.GrossRupiah},{row.FeesRupiah},{row.RefundedRupiah},{row.NetRupiah},{row.Units}\n");
        }

        return csv.ToString();
    }

    public static async Task<byte[]> OmzetXlsxAsync(string by, IEnumerable<OmzetRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var stream = new MemoryStream();
        await using (var spreadsheet = await Spreadsheet.CreateNewAsync(stream, cancellationToken: cancellationToken))
        {
            await spreadsheet.StartWorksheetAsync("Omzet", token: cancellationToken);
            await spreadsheet.AddRowAsync([new DataCell(by), new DataCell("Omzet kotor (Rp)"), new DataCell("Fee (Rp)"), new DataCell("Pengembalian (Rp)"), new DataCell("Omzet bersih (Rp)"), new DataCell("Unit")], cancellationToken);
            foreach (var row in rows)
            {
                await spreadsheet.AddRowAsync([new DataCell(row.Key), new DataCell(row.GrossRupiah), new DataCell(row.FeesRupiah), new DataCell(row.RefundedRupiah), new DataCell(row.NetRupiah), new DataCell(row.Units)], cancellationToken);
            }

            await spreadsheet.FinishAsync(cancellationToken);
        }

        return stream.ToArray();
    }

    public static string ShuCsv(IEnumerable<ShuShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        var csv = new StringBuilder("member_id,transactions_rupiah,savings_rupiah,jasa_usaha_rupiah,jasa_modal_rupiah,shu_rupiah\n");
        foreach (var share in shares)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{Csv.Field(share.MemberId.ToString())},{share.TransactionsRupiah},{share.SavingsRupiah},{share.JasaUsahaRupiah},{share.JasaModalRupiah},{share.TotalRupiah}\n");
        }

        return csv.ToString();
    }
}
