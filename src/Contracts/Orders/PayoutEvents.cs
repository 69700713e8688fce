namespace Marketplace.Contracts.Orders;

/// <summary>
/// An admin prepared a payout batch: it waits for a second admin of the cooperative to approve it (two people move
/// money). <see cref="PreparedBy"/> is the account that prepared it and cannot approve it.
/// </summary>
public sealed record PayoutBatchAwaitingApproval(
    Guid BatchId, Guid CooperativeId, Guid PreparedBy, int MemberCount, long TotalRupiah, DateTimeOffset PreparedAt);

/// <summary>One member's line of a payout batch was paid to her: <see cref="AmountRupiah"/> reached her account.</summary>
public sealed record PayoutPaid(Guid BatchId, Guid CooperativeId, Guid MemberId, long AmountRupiah, DateTimeOffset PaidAt);
