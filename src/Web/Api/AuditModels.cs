using System.Text.Json;

namespace Marketplace.Web.Api;

/// <summary>One entry of a service's audit trail, as it answers it.</summary>
public sealed record AuditEntryView(
    long Sequence, DateTimeOffset At, Guid? ActorId, string ActorName, string ActorRole, string? ClientAddress, Guid? CooperativeId,
    string Action, string SubjectType, string SubjectId, JsonElement? Before, JsonElement? After, string? Reason);

public sealed record AuditEntryPage(IReadOnlyList<AuditEntryView> Entries, long? Older);

public sealed record AuditCheck(long Checked, long Last, long? FirstBroken);

/// <summary>The four trails an admin reads as one: each service keeps its own, chained on its own.</summary>
public enum AuditSource
{
    Catalog,
    Orders,
    Settlement,
    Accounts,
}
