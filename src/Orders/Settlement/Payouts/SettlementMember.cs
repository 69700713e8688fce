namespace Marketplace.Orders.Settlement.Payouts;

/// <summary>
/// What Settlement knows of a member from Catalog's <c>MemberUpdated</c>: above all, which cooperative she belongs to,
/// so that only that cooperative's admins may propose or confirm her account.
/// </summary>
public sealed class SettlementMember
{
    public Guid MemberId { get; set; }

    public Guid CooperativeId { get; set; }

    public string DisplayName { get; set; } = string.Empty;

    public string Status { get; set; } = string.Empty;

    public long Revision { get; set; }
}
