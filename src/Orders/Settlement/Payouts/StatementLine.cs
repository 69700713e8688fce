namespace Marketplace.Orders.Settlement.Payouts;

/// <summary>One movement of a member's available balance that a payout settles.</summary>
public sealed record StatementLine(DateTimeOffset At, string Kind, string Memo, long AmountRupiah);
