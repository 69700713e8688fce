namespace Marketplace.ServiceDefaults.Audit;

/// <summary>
/// One action someone took on money, stock, moderation, roles, invitations or settings: who, when, from where, and
/// what changed. Rows are only ever added; PostgreSQL itself numbers each one and chains it to the one before by a
/// hash (see <see cref="AuditTrailSql"/>), so a row changed or removed afterwards breaks the chain where it was.
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Its place in the service's chain: 1, 2, 3... with no gaps. Set by the database on insert.</summary>
    public long Sequence { get; private set; }

    public DateTimeOffset At { get; private set; }

    /// <summary>The account that acted; null for the system itself (a sweep, a message from another service).</summary>
    public Guid? ActorId { get; private set; }

    public string ActorName { get; private set; } = string.Empty;

    /// <summary>The roles the actor acted in (<c>cooperative-admin</c>, <c>kiosk-clerk</c>...), or <c>system</c>.</summary>
    public string ActorRole { get; private set; } = string.Empty;

    /// <summary>The client's address as the Gateway saw it.</summary>
    public string? ClientAddress { get; private set; }

    /// <summary>The cooperative the action concerns; null for the platform's own (a new cooperative's fee set by the platform admin is its).</summary>
    public Guid? CooperativeId { get; private set; }

    /// <summary>What was done, as <c>area.verb</c>: <c>product.approved</c>, <c>refund.requested</c>, <c>till.cash-paid-out</c>.</summary>
    public string Action { get; private set; } = string.Empty;

    public string SubjectType { get; private set; } = string.Empty;

    public string SubjectId { get; private set; } = string.Empty;

    /// <summary>The changed fields before, as JSON; null when the subject is new.</summary>
    public string? Before { get; private set; }

    /// <summary>The changed fields after, as JSON; null when the subject is gone.</summary>
    public string? After { get; private set; }

    public string? Reason { get; private set; }

    /// <summary>The hash of the entry before it in the chain (empty for the first). Set by the database.</summary>
    public string? PreviousHash { get; private set; }

    /// <summary>SHA-256 of this entry's fields and <see cref="PreviousHash"/>. Set by the database.</summary>
    public string? Hash { get; private set; }

    internal static AuditEntry Create(DateTimeOffset at, AuditActor actor, Guid? cooperativeId, string action, string subjectType, string subjectId,
        string? before, string? after, string? reason) => new()
    {
        Id = Guid.CreateVersion7(at),
        At = at,
        ActorId = actor.Id,
        ActorName = actor.Name,
        ActorRole = actor.Role,
        ClientAddress = actor.ClientAddress,
        CooperativeId = cooperativeId,
        Action = action,
        SubjectType = subjectType,
        SubjectId = subjectId,
        Before = before,
        After = after,
        Reason = reason,
    };
}

/// <summary>Who acted: an account (from the Gateway's token) or the system.</summary>
public sealed record AuditActor(Guid? Id, string Name, string Role, string? ClientAddress)
{
    public static readonly AuditActor System = new(null, "system", "system", null);
}
