using System.Text.Json;

namespace Marketplace.Web.Api;

// The statuses and kinds the services answer with, as enums: pages compare values, never the spelling. The services
// write them in camelCase ("awaitingPayment"); Json.Options' converter reads names case-insensitively, so an older
// service's "AwaitingPayment" reads the same. A name added on a service must be added here before it is sent.

/// <summary>Orders' order statuses.</summary>
public enum OrderStatus
{
    Reserving,
    StockRefused,
    AwaitingPayment,
    AwaitingKioskPayment,

    /// <summary>Paid online by QRIS or GoPay; the shopper's bank has not confirmed it yet.</summary>
    ConfirmingPayment,
    Paid,
    HandedOver,
    Shipped,
    Delivered,
    Expired,
    Cancelled,
}

/// <summary>How an order reaches its buyer (Orders).</summary>
public enum FulfilmentKind
{
    Pickup,
    Shipping,

    /// <summary>A walk-in sale at the kiosk's counter, paid and handed over at once.</summary>
    Counter,
}

/// <summary>How an order is paid (Orders).</summary>
public enum PaymentMethod
{
    Card,
    Kiosk,
}

/// <summary>How an order's money came in (Orders): online by card or by QRIS/GoPay (ewallet), at the kiosk in cash or by its QRIS.</summary>
public enum PaymentChannel
{
    Card,
    Cash,
    Qris,
    Ewallet,
}

/// <summary>Catalog's cooperative statuses.</summary>
public enum CooperativeStatus
{
    Active,
    Suspended,
}

/// <summary>Catalog's member statuses.</summary>
public enum MemberStatus
{
    Invited,
    Active,
    Suspended,
}

/// <summary>Catalog's moderation statuses of a product.</summary>
public enum ProductStatus
{
    Draft,
    Submitted,
    Published,
    Rejected,
    Archived,
}

/// <summary>Catalog's review status of an edit to a product on sale.</summary>
public enum RevisionStatus
{
    None,
    Submitted,
    Rejected,
}

/// <summary>Catalog's processing status of a product photo.</summary>
public enum ImageStatus
{
    Processing,
    Ready,
    Failed,
}

/// <summary>The Gateway's kinds of invitation into a cooperative.</summary>
public enum InvitationKind
{
    Member,
    Admin,
    Clerk,
}

/// <summary>Where a Gateway invitation stands.</summary>
public enum InvitationStatus
{
    Open,
    Accepted,
    Expired,
    Revoked,
}

public static class Statuses
{
    /// <summary>An order status after which nothing changes by itself: the order page stops refreshing.</summary>
    public static bool IsSettled(this OrderStatus status) =>
        status is OrderStatus.StockRefused or OrderStatus.HandedOver or OrderStatus.Delivered or OrderStatus.Expired or OrderStatus.Cancelled;

    /// <summary>The name as the services write it ("published"), for markup hooks such as <c>data-status</c>.</summary>
    public static string CamelName<TEnum>(this TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}

/// <summary>How far a message got: Notifications' statuses.</summary>
public enum DeliveryStatus
{
    Pending,
    Accepted,
    Sent,
    Delivered,
    Read,
    Failed,
}
