namespace Marketplace.Orders.Settlement.Payouts;

/// <summary>
/// The bank account a member is paid to, once a second person has confirmed it. Only this account ever reaches a
/// payout or the bank file: a changed account is the classic way a payout is stolen. None: she is paid in cash.
/// </summary>
public sealed class PayoutAccount
{
    private PayoutAccount()
    {
    }

    public Guid MemberId { get; private set; }

    public Guid CooperativeId { get; private set; }

    public string BankCode { get; private set; } = string.Empty;

    /// <summary>The bank's name as the bank file shows it.</summary>
    public string Bank { get; private set; } = string.Empty;

    public string AccountNumber { get; private set; } = string.Empty;

    public string AccountName { get; private set; } = string.Empty;

    /// <summary>The proposal that became this account: who proposed and who confirmed it, and when.</summary>
    public Guid ChangeId { get; private set; }

    public Guid ProposedBy { get; private set; }

    public DateTimeOffset ProposedAt { get; private set; }

    public Guid ConfirmedBy { get; private set; }

    public DateTimeOffset ConfirmedAt { get; private set; }

    internal static PayoutAccount From(PayoutAccountChange change) => new PayoutAccount { MemberId = change.MemberId }.Apply(change);

    internal PayoutAccount Apply(PayoutAccountChange change)
    {
        CooperativeId = change.CooperativeId;
        BankCode = change.BankCode;
        Bank = change.BankName;
        AccountNumber = change.AccountNumber;
        AccountName = change.AccountName;
        ChangeId = change.Id;
        ProposedBy = change.ProposedBy;
        ProposedAt = change.ProposedAt;
        ConfirmedBy = change.DecidedBy!.Value;
        ConfirmedAt = change.DecidedAt!.Value;
        return this;
    }

    public bool Matches(string bankCode, string accountNumber, string accountName) =>
        BankCode == bankCode && AccountNumber == accountNumber && string.Equals(AccountName, accountName, StringComparison.Ordinal);
}
