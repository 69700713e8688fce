using Marketplace.Web.Api;
using Marketplace.Web.Localization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Forms;

/// <summary>An admin confirms or rejects a member's proposed bank account from the members page.</summary>
public static class PayoutAccountForms
{
    public static RouteGroupBuilder MapPayoutAccountForms(this RouteGroupBuilder forms)
    {
        forms.MapPost("/admin/anggota/rekening/{changeId:guid}/konfirmasi", async (Guid changeId, SettlementApi settlement, Lang l, CancellationToken ct) =>
            WebForms.Back("/admin/anggota", Explained(await settlement.PostAsync($"/api/settlement/payout-account-changes/{changeId}/confirm", null, ct), l), "account-confirmed"));

        forms.MapPost("/admin/anggota/rekening/{changeId:guid}/tolak", async (Guid changeId, [FromForm] string? reason, SettlementApi settlement, Lang l, CancellationToken ct) =>
            WebForms.Back("/admin/anggota", Explained(await settlement.PostAsync($"/api/settlement/payout-account-changes/{changeId}/reject", new { reason }, ct), l), "account-rejected"));
        return forms;
    }

    /// <summary>Settlement's refusal, said in the admin's language where the rule is known.</summary>
    private static ApiResult<NoBody> Explained(ApiResult<NoBody> result, Lang l)
    {
        if (result.Problem is not { } problem)
        {
            return result;
        }

        var text = problem.Code switch
        {
            "same_person" => l.T("Anda yang mengajukan rekening ini; admin lain harus mengonfirmasinya.", "You proposed this account; another admin must confirm it."),
            "own_account" => l.T("Rekening Anda sendiri harus dikonfirmasi admin lain.", "Your own account must be confirmed by another admin."),
            "illegal_transition" => l.T("Usulan ini sudah diputuskan atau diganti usulan baru.", "This proposal was already decided or replaced by a newer one."),
            "invalid_reason" => l.T("Alasan paling banyak 200 huruf.", "A reason has at most 200 characters."),
            "unavailable" => l.T("Layanan sedang tidak bisa dihubungi. Tidak ada yang berubah; coba lagi.", "The service cannot be reached. Nothing changed; please try again."),
            _ => l.T("Tidak bisa dilakukan.", "This could not be done.") + " " + problem.Summary,
        };
        return new ApiResult<NoBody> { Problem = problem with { Detail = text }, Status = result.Status };
    }
}
