using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Orders.Settlement.Ledger;

/// <summary>A cooperative's settlement settings: how long a handed-over sale is held before its member may be paid.</summary>
public sealed class CooperativeSettings
{
    /// <summary>The longest holding period a cooperative may set.</summary>
    public const int MaximumHoldingDays = 90;

    private CooperativeSettings()
    {
    }

    public Guid CooperativeId { get; private set; }

    public int HoldingDays { get; private set; }

    public TimeSpan Holding => TimeSpan.FromDays(HoldingDays);

    /// <summary>A cooperative that never chose: its members' shares are payable at hand-over.</summary>
    public static CooperativeSettings For(Guid cooperativeId) => new() { CooperativeId = cooperativeId };

    public void HoldFor(int days)
    {
        if (days is < 0 or > MaximumHoldingDays)
        {
            throw new DomainException($"The holding period is 0 to {MaximumHoldingDays} days.", "invalid_holding_period");
        }

        HoldingDays = days;
    }
}
