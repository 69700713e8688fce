using System.Globalization;
using System.Security.Claims;
using Marketplace.Documents;
using Marketplace.Orders.Settlement.Data;
using Marketplace.Orders.Settlement.Ledger;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Marketplace.Orders.Settlement.Payouts;

public sealed record StatementLine(DateTimeOffset At, string Kind, string Memo, long AmountRupiah);

/// <summary>
/// A member's payout statement (in Bahasa Indonesia): the movements of her available balance that this payout
/// settles (hand-overs, refunds, returned transfers since her previous payout, up to the cut-off), the simpanan wajib
/// deducted, and the amount paid.
/// </summary>
public static class Statements
{
    private static readonly CultureInfo Indonesian = CultureInfo.GetCultureInfo("id-ID");

    public static IEndpointRouteBuilder MapPayoutStatements(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/settlement/payout-batches/{batchId:guid}/members/{memberId:guid}/statement.pdf", StatementAsync)
            .RequireAuthorization()
            .WithTags("Settlement")
            .WithName("PayoutStatement")
            .WithSummary("The member's statement for this payout, as PDF: for the member herself and her cooperative's admins.");
        return app;
    }

    public static async Task<List<StatementLine>> LinesAsync(SettlementDbContext db, PayoutBatch batch, Guid memberId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(batch);
        var available = db.JournalLines.Where(l => l.CooperativeId == batch.CooperativeId && l.MemberId == memberId && l.Account == Accounts.MemberAvailable);
        var reserve = await available.Join(db.JournalEntries.Where(e => e.Source == $"payout:{batch.Id}:{memberId}:reserve"), l => l.EntryId, e => e.Id, (l, e) => l.Id)
            .FirstOrDefaultAsync(cancellationToken);
        var previousReserve = await available.Where(l => l.Id < reserve && l.Kind == "payout" && l.AmountRupiah > 0).MaxAsync(l => (long?)l.Id, cancellationToken) ?? 0;
        return await available
            .Where(l => l.Id > previousReserve && l.Id < reserve && (l.PostedAt <= batch.CutOff || l.Kind == "payout"))
            .OrderBy(l => l.Id)
            .Join(db.JournalEntries, l => l.EntryId, e => e.Id, (l, e) => new StatementLine(l.PostedAt, l.Kind, e.Memo, -l.AmountRupiah))
            .ToListAsync(cancellationToken);
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> StatementAsync(
        Guid batchId, Guid memberId, ClaimsPrincipal user, SettlementDbContext db, CancellationToken cancellationToken)
    {
        var batch = await db.PayoutBatches.AsNoTracking().Include(b => b.Lines).FirstOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        var line = batch?.Lines.FirstOrDefault(l => l.MemberId == memberId);
        if (batch is null || line is null || !(user.IsAdminOf(batch.CooperativeId) || user.MemberId() == memberId))
        {
            return TypedResults.NotFound();
        }

        var lines = await LinesAsync(db, batch, memberId, cancellationToken);
        // Her name as Catalog last told us; the account holder's name, or her id, until then.
        var name = await db.Members.Where(m => m.MemberId == memberId).Select(m => m.DisplayName).FirstOrDefaultAsync(cancellationToken)
            ?? line.AccountName ?? memberId.ToString();
        return TypedResults.File(Render(batch, line, name, lines), "application/pdf", $"laporan-pembayaran-{batch.Id.ToString("N")[..8]}.pdf");
    }

    private static byte[] Render(PayoutBatch batch, PayoutLine payout, string memberName, IReadOnlyList<StatementLine> lines)
    {
        EmbeddedFontResolver.Install();
        using var document = new PdfDocument();
        document.Info.Title = "Laporan Pembayaran Anggota";
        var title = new XFont(EmbeddedFontResolver.Family, 14, XFontStyleEx.Bold);
        var body = new XFont(EmbeddedFontResolver.Family, 9, XFontStyleEx.Regular);
        var bold = new XFont(EmbeddedFontResolver.Family, 9, XFontStyleEx.Bold);
        var page = document.AddPage();
        var graphics = XGraphics.FromPdfPage(page);
        double y = 50;

        void Text(string text, XFont font, double x, XStringFormat? format = null) =>
            graphics.DrawString(text, font, XBrushes.Black, new XRect(x, y, 180, 14), format ?? XStringFormats.TopLeft);

        Text("Laporan Pembayaran Anggota", title, 50);
        y += 26;
        Text($"Anggota: {memberName}", body, 50);
        y += 14;
        Text($"Batas tanggal: {batch.CutOff.ToOffset(TimeSpan.FromHours(7)).ToString("d MMMM yyyy", Indonesian)}", body, 50);
        y += 14;
        Text($"Pembayaran: {(payout.Method == "bank" ? $"transfer ke {payout.Bank} {payout.AccountNumber} a.n. {payout.AccountName}" : "tunai di koperasi")}", body, 50);
        y += 24;
        Text("Tanggal", bold, 50);
        Text("Keterangan", bold, 130);
        Text("Jumlah", bold, 360, XStringFormats.TopRight);
        y += 16;
        foreach (var line in lines)
        {
            if (y > page.Height.Point - 80)
            {
                page = document.AddPage();
                graphics.Dispose();
                graphics = XGraphics.FromPdfPage(page);
                y = 50;
            }

            Text(line.At.ToOffset(TimeSpan.FromHours(7)).ToString("dd/MM/yyyy", Indonesian), body, 50);
            Text(Describe(line), body, 130);
            Text(Rupiah.Display(line.AmountRupiah), body, 360, XStringFormats.TopRight);
            y += 13;
        }

        y += 8;
        Text("Potongan simpanan wajib", body, 130);
        Text("- " + Rupiah.Display(payout.SavingsRupiah), body, 360, XStringFormats.TopRight);
        y += 16;
        Text("Jumlah dibayarkan", bold, 130);
        Text(Rupiah.Display(payout.AmountRupiah), bold, 360, XStringFormats.TopRight);
        graphics.Dispose();
        using var stream = new MemoryStream();
        document.Save(stream);
        return stream.ToArray();
    }

    private static string Describe(StatementLine line) => line.Kind switch
    {
        "fulfilment" => "Penjualan diserahkan",
        "refund" => "Pengembalian dana",
        "payout" => "Transfer gagal, dikembalikan",
        _ => line.Memo,
    };
}
