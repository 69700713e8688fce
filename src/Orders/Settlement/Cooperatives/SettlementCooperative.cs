using Marketplace.Contracts.Catalog;

namespace Marketplace.Orders.Settlement.Cooperatives;

/// <summary>
/// What Settlement knows of a cooperative from Catalog's messages: the time zone its days, months and years are
/// counted in (report days, statements' dates, the SHU's year). Settlement keeps its own copy, as a service of its own
/// would, rather than read Orders' merchants.
/// </summary>
public sealed class SettlementCooperative
{
    private SettlementCooperative()
    {
    }

    public Guid CooperativeId { get; private set; }

    /// <summary>An IANA time zone id, e.g. <c>Asia/Jakarta</c>.</summary>
    public string TimeZone { get; private set; } = CooperativeTimeZones.DefaultId;

    /// <summary>The revision of the last <see cref="CooperativeUpdated"/> applied; 0 before any.</summary>
    public long Revision { get; private set; }

    /// <summary>A cooperative starts in the default zone: Catalog registers every cooperative there.</summary>
    public static SettlementCooperative Registered(CooperativeRegistered registered)
    {
        ArgumentNullException.ThrowIfNull(registered);
        return new SettlementCooperative { CooperativeId = registered.CooperativeId };
    }

    /// <summary>An update carries the whole state, so it can stand in for a registration not seen yet.</summary>
    public static SettlementCooperative From(CooperativeUpdated updated)
    {
        ArgumentNullException.ThrowIfNull(updated);
        var cooperative = new SettlementCooperative { CooperativeId = updated.CooperativeId };
        cooperative.Apply(updated);
        return cooperative;
    }

    /// <summary>The newest revision wins, in whatever order the updates arrive.</summary>
    public void Apply(CooperativeUpdated updated)
    {
        ArgumentNullException.ThrowIfNull(updated);
        if (updated.Revision <= Revision)
        {
            return;
        }

        TimeZone = string.IsNullOrWhiteSpace(updated.TimeZone) ? CooperativeTimeZones.DefaultId : updated.TimeZone;
        Revision = updated.Revision;
    }
}
