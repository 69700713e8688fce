namespace Marketplace.Web.Api;

/// <summary>The cooperative's Stripe account as Orders last heard of it; <see cref="CurrentlyDue"/> holds Stripe's keys.</summary>
public sealed record StripeAccount(
    string? AccountId, bool ChargesEnabled, bool PayoutsEnabled, bool DetailsSubmitted, IReadOnlyList<string> CurrentlyDue, DateTimeOffset? CheckedAt,
    IReadOnlyList<OnlinePaymentMethod>? Methods = null);

/// <summary>Whether the cooperative's account takes a payment method: reported active, inactive, or not reported by Stripe at all.</summary>
public enum MethodAvailability
{
    Active,
    Inactive,
    NotReported,
}

/// <summary>One payment method of the deployment's setting (<c>card</c>, <c>qris</c>, <c>gopay</c>) and what Stripe says of it.</summary>
public sealed record OnlinePaymentMethod(string Type, MethodAvailability Availability);

/// <summary>A fresh link to Stripe's onboarding pages.</summary>
public sealed record StripeOnboardingLink(string Url, DateTimeOffset ExpiresAt);
