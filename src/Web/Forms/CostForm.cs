using Marketplace.Web.Api;
using Marketplace.Web.Localization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Forms;

/// <summary>A cost as typed on the laba page (a member's) or the reports page (the cooperative's); <see cref="Editing"/> when it corrects one.</summary>
public sealed class CostForm
{
    public Guid? Editing { get; set; }

    public string? Category { get; set; }

    public long? AmountRupiah { get; set; }

    public DateOnly? Date { get; set; }

    public string? Note { get; set; }

    public object Request => new { category = Category, amountRupiah = AmountRupiah, date = Date, note = Note };

    public static CostForm Of(OtherCostView cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        return new CostForm { Editing = cost.Id, Category = cost.Category, AmountRupiah = cost.AmountRupiah, Date = cost.Date, Note = cost.Note };
    }

    /// <summary>Records the cost, or corrects the one being edited, under <paramref name="costsPath"/>; the refusal said in the reader's words, by field.</summary>
    public async Task<Problem?> SaveAsync(SettlementApi settlement, string costsPath, Lang l)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        ArgumentNullException.ThrowIfNull(l);
        var result = Editing is { } id
            ? await settlement.PutAsync<OtherCostView>($"{costsPath}/{id}", Request)
            : await settlement.PostAsync<OtherCostView>(costsPath, Request);
        return result.Problem?.Localized(code => CostWords.Rule(l, code) ?? Refusals.One(l, code));
    }
}

/// <summary>Deleting a cost, with its reason: a small form of the laba and reports pages.</summary>
public static class CostForms
{
    public static RouteGroupBuilder MapCostForms(this RouteGroupBuilder forms)
    {
        forms.MapPost("/anggota/laba/biaya/{costId:guid}/hapus", async (Guid costId, [FromForm] string? reason, [FromForm] string? month, SettlementApi settlement, CancellationToken ct) =>
            WebForms.Back(MonthPath(Paths.MemberLaba, "bulan", month), await settlement.PostAsync($"/api/settlement/members/me/costs/{costId}/delete", new { reason }, ct), "cost-deleted"));

        forms.MapPost("/admin/laporan/biaya/{costId:guid}/hapus", async (Guid costId, [FromForm] Guid cooperativeId, [FromForm] string? reason, SettlementApi settlement, CancellationToken ct) =>
            WebForms.Back(Paths.AdminReports + "#costs", await settlement.PostAsync($"/api/settlement/cooperatives/{cooperativeId}/costs/{costId}/delete", new { reason }, ct), "cost-deleted"));
        return forms;
    }

    private static string MonthPath(string path, string name, string? month) =>
        month is { Length: 7 } && DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _) ? $"{path}?{name}={month}" : path;
}
