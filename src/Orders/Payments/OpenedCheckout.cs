namespace Marketplace.Orders.Payments;

/// <summary>The Stripe Checkout Session opened for an order: where the shopper pays, until when, on which account.</summary>
public sealed record OpenedCheckout(string SessionId, string Url, DateTimeOffset ExpiresAt, string StripeAccountId);
