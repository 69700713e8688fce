using Marketplace.Orders.Payments;

namespace Marketplace.Orders.Merchants;

/// <summary>Whether a cooperative's Stripe account takes one payment method type, as far as Stripe says.</summary>
public enum MethodAvailability
{
    /// <summary>Stripe reports the method's capability active.</summary>
    Active,

    /// <summary>Stripe reports it inactive or pending, or the account takes no payments at all: not offered.</summary>
    Inactive,

    /// <summary>
    /// Stripe reports no capability of that name (its API has none for QRIS or GoPay: an Indonesian account has them once
    /// activated in Stripe's dashboard). Offered as the deployment's setting says while the account takes payments; if
    /// the account lacks it after all, Stripe refuses the Checkout Session.
    /// </summary>
    NotReported,
}

/// <summary>One method of the deployment's setting, and what the cooperative's account says of it.</summary>
public sealed record OnlinePaymentMethod(string Type, MethodAvailability Availability);

/// <summary>
/// Which of the deployment's methods (card, QRIS, GoPay) Stripe's page offers for a cooperative: the setting's,
/// intersected with the capabilities Stripe last reported for its account (<c>card_payments</c>, and
/// <c>&lt;type&gt;_payments</c> where Stripe has one).
/// </summary>
public static class OnlinePaymentMethods
{
    /// <summary>Stripe's name of the capability that lets an account take a payment method type.</summary>
    public static string CapabilityOf(string type) => type == "card" ? "card_payments" : type + "_payments";

    public static MethodAvailability Of(string type, StripeAccountState? account)
    {
        if (account is not { ChargesEnabled: true })
        {
            return MethodAvailability.Inactive;
        }

        if (account.Capabilities is not { } capabilities)
        {
            // Recorded before Orders kept capabilities: cards went with charges_enabled, the rest with the setting.
            return type == "card" ? MethodAvailability.Active : MethodAvailability.NotReported;
        }

        return capabilities.TryGetValue(CapabilityOf(type), out var status)
            ? status == "active" ? MethodAvailability.Active : MethodAvailability.Inactive
            : type == "card" ? MethodAvailability.Inactive : MethodAvailability.NotReported;
    }

    /// <summary>The setting's methods with what the account says of each, in the setting's order (for the admin's page).</summary>
    public static IReadOnlyList<OnlinePaymentMethod> Describe(StripeOptions options, StripeAccountState? account)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.ConfiguredPaymentMethods().Select(t => new OnlinePaymentMethod(t, Of(t, account))).ToList();
    }

    /// <summary>
    /// The types a shopper is offered for a total: configured, at or above their minimum, and not withdrawn by Stripe.
    /// Empty when Stripe withdrew all of them: no online payment is then taken.
    /// </summary>
    public static IReadOnlyList<string> Offered(StripeOptions options, StripeAccountState? account, long totalRupiah)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.PaymentMethodsFor(totalRupiah).Where(t => Of(t, account) != MethodAvailability.Inactive).ToList();
    }
}
