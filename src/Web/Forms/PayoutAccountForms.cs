using Marketplace.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Forms;

/// <summary>An admin confirms or rejects a member's proposed bank account from the members page.</summary>
public static class PayoutAccountForms
{
    public static RouteGroupBuilder MapPayoutAccountForms(this RouteGroupBuilder forms)
    {
        forms.MapPost("/admin/anggota/rekening/{changeId:guid}/konfirmasi", async (Guid changeId, SettlementApi settlement, CancellationToken ct) =>
            WebForms.Back(Paths.AdminMembers, await settlement.PostAsync($"/api/settlement/payout-account-changes/{changeId}/confirm", null, ct), "account-confirmed"));

        forms.MapPost("/admin/anggota/rekening/{changeId:guid}/tolak", async (Guid changeId, [FromForm] string? reason, SettlementApi settlement, CancellationToken ct) =>
            WebForms.Back(Paths.AdminMembers, await settlement.PostAsync($"/api/settlement/payout-account-changes/{changeId}/reject", new { reason }, ct), "account-rejected"));
        return forms;
    }
}
