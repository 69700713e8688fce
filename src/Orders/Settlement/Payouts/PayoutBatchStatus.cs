namespace Marketplace.Orders.Settlement.Payouts;

public enum PayoutBatchStatus
{
    /// <summary>Prepared, waiting for a second admin's approval.</summary>
    Draft,
    Approved,

    /// <summary>Every line paid or failed.</summary>
    Paid,
}
