namespace Marketplace.Notifications.Deliveries;

/// <summary>What a channel said to one attempt: the provider's id for the message, or why not and whether trying again could help.</summary>
public sealed record SendResult(string? ProviderMessageId, string? Error, bool Final)
{
    public bool Accepted => ProviderMessageId is not null;
}
