namespace Marketplace.Orders.Settlement.Payouts;

/// <summary>One member's payout in a batch, with the confirmed account it was prepared with (none: cash).</summary>
public sealed class PayoutLine
{
    private PayoutLine()
    {
    }

    public Guid BatchId { get; private set; }

    public Guid MemberId { get; private set; }

    /// <summary>What she is paid: her available balance less the savings deducted.</summary>
    public long AmountRupiah { get; private set; }

    /// <summary>Simpanan wajib deducted from this payout, on its own line of her statement.</summary>
    public long SavingsRupiah { get; private set; }

    /// <summary><see cref="PayoutMethod.Bank"/> when the member has a confirmed account, else cash at the cooperative.</summary>
    public PayoutMethod Method { get; private set; }

    public string? BankCode { get; private set; }

    public string? Bank { get; private set; }

    public string? AccountNumber { get; private set; }

    public string? AccountName { get; private set; }

    public PayoutLineStatus Status { get; private set; }

    public string? Reference { get; private set; }

    public DateTimeOffset? SettledAt { get; private set; }

    public static PayoutLine For(Guid batchId, Guid memberId, long amount, long savings, PayoutAccount? account) => new()
    {
        BatchId = batchId,
        MemberId = memberId,
        AmountRupiah = amount,
        SavingsRupiah = savings,
        Method = account is null ? PayoutMethod.Cash : PayoutMethod.Bank,
        BankCode = account?.BankCode,
        Bank = account?.Bank,
        AccountNumber = account?.AccountNumber,
        AccountName = account?.AccountName,
        Status = PayoutLineStatus.Pending,
    };

    /// <summary>The reference a bulk transfer carries to the member's bank statement: the batch's and her id's last six digits.</summary>
    public string TransferReference() =>
        $"BAYAR-{BatchId.ToString("N")[^6..].ToUpperInvariant()}-{MemberId.ToString("N")[^6..].ToUpperInvariant()}";

    internal void Settle(bool paid, string reference, DateTimeOffset now)
    {
        Status = paid ? PayoutLineStatus.Paid : PayoutLineStatus.Failed;
        Reference = reference;
        SettledAt = now;
    }
}
