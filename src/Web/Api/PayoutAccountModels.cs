namespace Marketplace.Web.Api;

public sealed record PayoutWaiting(Guid MemberId, long AvailableRupiah, string Reason);

public sealed record ConfirmedAccount(
    string BankCode, string BankName, string AccountNumber, string AccountName, Guid ProposedBy, DateTimeOffset ProposedAt, Guid ConfirmedBy, DateTimeOffset ConfirmedAt);

public sealed record AccountChange(
    Guid Id, string BankCode, string BankName, string AccountNumber, string AccountName, string Status,
    Guid ProposedBy, bool ProposedByMember, DateTimeOffset ProposedAt, Guid? DecidedBy, DateTimeOffset? DecidedAt, string? RejectionReason);

public sealed record PayoutAccountState(Guid MemberId, ConfirmedAccount? Confirmed, AccountChange? Pending, AccountChange? LastRejected);
