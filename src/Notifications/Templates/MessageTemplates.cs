using System.Text.Json;

namespace Marketplace.Notifications.Templates;

/// <summary>
/// Every message the marketplace sends, from <c>templates.json</c> (embedded). WhatsApp requires each to be registered
/// with Meta under this name and language before use; the local run gives the emulator the same file, so a template
/// missing or with another number of parameters fails locally and in the tests as it would in production.
/// </summary>
public static class MessageTemplates
{
    /// <summary>
    /// 1 name, 2 pickup code, 3 cooperative, 4 pickup day, 5 pay-by time, 6 total, 7 where the kiosk is, 8 its opening
    /// hours, 9 the order's page.
    /// </summary>
    public const string ShopperOrderAtKiosk = "shopper_order_at_kiosk";

    /// <summary>
    /// Paid online (card, QRIS, an e-wallet: the words name none), collected at the kiosk. 1 name, 2 pickup code, 3 total,
    /// 4 pay-by time, 5 the order's page.
    /// </summary>
    public const string ShopperOrderAwaitingPayment = "shopper_order_awaiting_payment";

    /// <summary>Paid online, shipped. 1 name, 2 pickup code, 3 total, 4 pay-by time, 5 the order's page.</summary>
    public const string ShopperOrderAwaitingPaymentShipped = "shopper_order_awaiting_payment_shipped";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>1 name, 2 pickup code, 3 amount, 4 the order's page.</summary>
    public const string ShopperOrderPaid = "shopper_order_paid";

    /// <summary>1 name, 2 pickup code.</summary>
    public const string ShopperOrderCancelled = "shopper_order_cancelled";

    /// <summary>1 name, 2 pickup code.</summary>
    public const string ShopperOrderCancelledRefunded = "shopper_order_cancelled_refunded";

    /// <summary>1 name, 2 amount, 3 pickup code.</summary>
    public const string ShopperRefundToCard = "shopper_refund_to_card";

    /// <summary>1 name, 2 amount, 3 pickup code.</summary>
    public const string ShopperRefundInCash = "shopper_refund_in_cash";

    /// <summary>1 name, 2 pickup code.</summary>
    public const string ShopperOrderDelivered = "shopper_order_delivered";

    /// <summary>1 name, 2 pickup code, 3 the order's page, where each handed-over line can be reviewed.</summary>
    public const string ShopperReviewInvitation = "shopper_review_invitation";

    /// <summary>1 name, 2 the reset link, 3 valid until. Secret.</summary>
    public const string AccountPasswordReset = "account_password_reset";

    /// <summary>1 cooperative, 2 role, 3 code, 4 the link to accept it, 5 valid until. Secret.</summary>
    public const string AccountInvitation = "account_invitation";
    /// <summary>A digest. 1 name, 2 lines and orders ("3 baris dari 2 pesanan"), 3 items in short, 4 her lines page.</summary>
    public const string MemberLinesToPrepare = "member_lines_to_prepare";
    /// <summary>1 name, 2 product, 3 her product's page.</summary>
    public const string MemberProductApproved = "member_product_approved";
    /// <summary>1 name, 2 product, 3 the admin's reason, 4 her product's page.</summary>
    public const string MemberProductRejected = "member_product_rejected";
    /// <summary>1 name, 2 amount, 3 her statement of this payout (PDF).</summary>
    public const string MemberPayoutPaid = "member_payout_paid";
    /// <summary>1 name, 2 permit (P-IRT, halal certificate), 3 its number, 4 product, 5 valid until, 6 days left, 7 the product's edit page.</summary>
    public const string MemberPermitExpiring = "member_permit_expiring";
    /// <summary>1 name, 2 permit, 3 its number, 4 product, 5 the date (today), 6 the product's edit page.</summary>
    public const string MemberPermitExpiresToday = "member_permit_expires_today";

    /// <summary>1 name, 2 product and size, 3 stock on hand, 4 her product's page.</summary>
    public const string MemberStockLow = "member_stock_low";
    /// <summary>1 admin's name, 2 pickup code, 3 total, 4 pickup or shipping and how it is paid, 5 the orders page.</summary>
    public const string AdminNewOrder = "admin_new_order";
    /// <summary>1 admin's name, 2 who prepared it, 3 members, 4 total, 5 the batch's page.</summary>
    public const string AdminPayoutAwaitingApproval = "admin_payout_awaiting_approval";
    /// <summary>A digest. 1 admin's name, 2 how many ("3 produk"), 3 their names, 4 the review page.</summary>
    public const string AdminProductsToReview = "admin_products_to_review";

    /// <summary>1 name, 2 pickup code, 3 cooperative, 4 where the kiosk is, 5 its opening hours, 6 the order's page.</summary>
    public const string ShopperOrderReadyForPickup = "shopper_order_ready_for_pickup";

    /// <summary>1 name, 2 pickup code, 3 courier, 4 tracking number, 5 the order's page.</summary>
    public const string ShopperOrderShipped = "shopper_order_shipped";

    /// <summary>To a walk-in buyer who gave her number. 1 cooperative, 2 receipt number, 3 total, 4 the receipt's page.</summary>
    public const string CounterReceipt = "counter_receipt";

    public static IReadOnlyList<MessageTemplate> All { get; } = Load();

    public static MessageTemplate Named(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new InvalidOperationException($"No message template is named {name}.");

    private static List<MessageTemplate> Load()
    {
        using var stream = typeof(MessageTemplates).Assembly.GetManifestResourceStream("Marketplace.Notifications.Templates.templates.json")
            ?? throw new InvalidOperationException("templates.json is not embedded.");
        var entries = JsonSerializer.Deserialize<List<Entry>>(stream, Json) ?? [];
        return entries.Select(e => new MessageTemplate(e.Name, e.Id, e.En)
        {
            SubjectIndonesian = e.SubjectId ?? MessageTemplate.DefaultSubject,
            SubjectEnglish = e.SubjectEn ?? MessageTemplate.DefaultSubject,
            Secret = e.Secret,
        }).ToList();
    }

    private sealed record Entry(string Name, string Id, string En, string? SubjectId, string? SubjectEn, bool Secret);
}
