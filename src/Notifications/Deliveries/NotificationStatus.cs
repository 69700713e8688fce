namespace Marketplace.Notifications.Deliveries;

/// <summary>Where a message is on its way; a status reported later never moves it back.</summary>
public enum NotificationStatus
{
    /// <summary>Waiting for its (next) attempt.</summary>
    Pending,

    /// <summary>The provider took it; nothing heard since.</summary>
    Accepted,

    Sent,

    Delivered,

    Read,

    /// <summary>Given up: refused for good, or every attempt failed. An admin may send it again.</summary>
    Failed,
}
