namespace Marketplace.Web.Api;

/// <summary>The cooperative's Stripe account as Orders last heard of it; <see cref="CurrentlyDue"/> holds Stripe's keys.</summary>
public sealed record StripeAccount(
    string? AccountId, bool ChargesEnabled, bool PayoutsEnabled, bool DetailsSubmitted, IReadOnlyList<string> CurrentlyDue, DateTimeOffset? CheckedAt);

/// <summary>A fresh link to Stripe's onboarding pages.</summary>
public sealed record StripeOnboardingLink(string Url, DateTimeOffset ExpiresAt);
