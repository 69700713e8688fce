using Marketplace.Web.Api;

namespace Marketplace.Web.Localization;

/// <summary>The services' statuses in the reader's words.</summary>
public static class StatusWords
{
    public static string Status(this Lang l, OrderStatus status) => status switch
    {
        OrderStatus.Reserving => l.T("Memeriksa stok…", "Checking stock…"),
        OrderStatus.StockRefused => l.T("Stok tidak cukup", "Out of stock"),
        OrderStatus.AwaitingPayment => l.T("Menunggu pembayaran", "Waiting for payment"),
        OrderStatus.AwaitingKioskPayment => l.T("Bayar di kios", "Pay at the kiosk"),
        OrderStatus.ConfirmingPayment => l.T("Pembayaran sedang dikonfirmasi", "Payment being confirmed"),
        OrderStatus.Paid => l.T("Dibayar", "Paid"),
        OrderStatus.HandedOver => l.T("Sudah diambil", "Picked up"),
        OrderStatus.Shipped => l.T("Dikirim", "Shipped"),
        OrderStatus.Delivered => l.T("Diterima", "Delivered"),
        OrderStatus.Expired => l.T("Kedaluwarsa", "Expired"),
        OrderStatus.Cancelled => l.T("Dibatalkan", "Cancelled"),
        _ => l.T("Sedang diproses", "In progress"),
    };

    /// <summary>An order's status in words; an order ended by a failed QRIS or GoPay payment says so rather than "expired".</summary>
    public static string Status(this Lang l, Order order)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(order);
        return order is { Status: OrderStatus.Expired, PaymentFailure: { } failure } ? l.PaymentFailure(failure) : l.Status(order.Status);
    }

    /// <summary>Why an online QRIS or GoPay payment ended an order (Orders' <c>paymentFailure</c>).</summary>
    public static string PaymentFailure(this Lang l, string failure) => failure switch
    {
        "payment_not_confirmed" => l.T("Pembayaran tidak dikonfirmasi tepat waktu", "Payment not confirmed in time"),
        _ => l.T("Pembayaran gagal", "Payment failed"),
    };

    public static string Status(this Lang l, ProductStatus status) => status switch
    {
        ProductStatus.Draft => l.T("Draf", "Draft"),
        ProductStatus.Submitted => l.T("Menunggu tinjauan", "Waiting for review"),
        ProductStatus.Published => l.T("Dijual", "On sale"),
        ProductStatus.Rejected => l.T("Ditolak", "Rejected"),
        ProductStatus.Archived => l.T("Diarsipkan", "Archived"),
        _ => l.T("Sedang diproses", "In progress"),
    };

    public static string Status(this Lang l, MemberStatus status) => status switch
    {
        MemberStatus.Active => l.T("aktif", "active"),
        MemberStatus.Invited => l.T("diundang", "invited"),
        MemberStatus.Suspended => l.T("ditangguhkan", "suspended"),
        _ => l.T("sedang diproses", "in progress"),
    };
}
