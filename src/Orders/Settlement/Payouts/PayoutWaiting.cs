namespace Marketplace.Orders.Settlement.Payouts;

/// <summary>
/// A member with money available who was left out of a batch, and why (her bank account waits for a second admin's
/// confirmation): her money stays available for the next batch, and the batch page says so.
/// </summary>
public sealed class PayoutWaiting
{
    /// <summary>Her first account waits for a second admin.</summary>
    public const string AccountUnconfirmed = "account_unconfirmed";

    /// <summary>A change of her confirmed account waits for a second admin.</summary>
    public const string AccountChangePending = "account_change_pending";

    private PayoutWaiting()
    {
    }

    public Guid BatchId { get; private set; }

    public Guid MemberId { get; private set; }

    public long AvailableRupiah { get; private set; }

    /// <summary><see cref="AccountUnconfirmed"/> or <see cref="AccountChangePending"/>.</summary>
    public string Reason { get; private set; } = string.Empty;

    public static PayoutWaiting For(Guid batchId, Guid memberId, long available, string reason) => new()
    {
        BatchId = batchId, MemberId = memberId, AvailableRupiah = available, Reason = reason,
    };
}
