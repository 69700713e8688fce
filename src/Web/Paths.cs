using Microsoft.AspNetCore.WebUtilities;

namespace Marketplace.Web;

/// <summary>
/// Web's own addresses, written once: every link, form target and redirect is built here. The <c>@page</c>
/// directives and the form endpoints' route templates repeat them, because routes must be literals; a renamed page
/// changes there and here.
/// </summary>
public static class Paths
{
    public const string Home = "/";
    public const string Error = "/galat";
    public const string StatusPage = "/status/{0}";

    // The storefront.
    public const string Search = "/cari";
    public const string Basket = "/keranjang";
    public const string BasketLine = "/keranjang/baris";

    public static string SearchIn(string category) => QueryHelpers.AddQueryString(Search, "category", category);

    public static string Checkout(Guid cooperativeId) => $"/keranjang/{cooperativeId}/bayar";

    /// <summary>An order's page; Stripe's return address after paying is this page too (built by Orders).</summary>
    public static string Order(Guid orderId) => $"/orders/{orderId}";

    /// <summary>The order's page right after checkout: it opens the payment page as soon as the stock is held.</summary>
    public static string OrderThenPay(Guid orderId) => $"{Order(orderId)}?bayar=1";

    /// <summary>The buyer's form to review one line of her order.</summary>
    public static string ReviewLine(Guid orderId, Guid lineId) => $"{Order(orderId)}/ulasan/{lineId}";

    /// <summary>A product by its id alone (the kiosk's QR codes); <see cref="ProductLinks.Path"/> adds the name.</summary>
    public static string Product(Guid productId) => $"/produk/{productId}";

    /// <summary>A maker's public page, by the slug Catalog gave her when she joined.</summary>
    public static string Maker(string slug) => $"/pembuat/{Uri.EscapeDataString(slug)}";

    /// <summary>A cooperative's public page: its story, the kiosk and its hours, its makers.</summary>
    public static string Cooperative(string slug) => $"/koperasi/{Uri.EscapeDataString(slug)}";

    public static string Language(string code, string back) => QueryHelpers.AddQueryString($"/bahasa/{code}", "kembali", back);

    // Accounts (the pages; their forms post to the Gateway's /account/...).
    public const string Account = "/akun";
    public const string MessagePreferences = "/akun/pesan";
    public const string SignIn = "/masuk";
    public const string Register = "/daftar";
    public const string Join = "/gabung";
    public const string ForgotPassword = "/lupa-sandi";

    public static string SignInThenBack(string returnUrl) => QueryHelpers.AddQueryString(SignIn, "returnUrl", returnUrl);

    public static string RegisterThenBack(string returnUrl) => QueryHelpers.AddQueryString(Register, "returnUrl", returnUrl);

    // The member portal.
    public const string Member = "/anggota";
    public const string MemberOrders = "/anggota/pesanan";
    public const string MemberMoney = "/anggota/uang";
    public const string MemberLaba = "/anggota/laba";
    public const string MemberProfile = "/anggota/profil";
    public const string MemberHoliday = "/anggota/libur";
    public const string NewProduct = "/anggota/produk/baru";
    public const string MemberDeliveries = "/anggota/titip";

    /// <summary>A delivery's receipt (tanda terima) for the member who brought it.</summary>
    public static string MemberDelivery(Guid deliveryId) => $"{MemberDeliveries}/{deliveryId}";

    public static string MemberProduct(Guid productId) => $"/anggota/produk/{productId}";

    public static string EditProduct(Guid productId) => $"{MemberProduct(productId)}/ubah";

    /// <summary>A form on a member's product: <c>ajukan</c> (submit), <c>harga</c>, <c>ukuran</c> (a new variant).</summary>
    public static string MemberProductForm(Guid productId, string form) => $"{MemberProduct(productId)}/{form}";

    /// <summary>A size's stock card in the member portal; <paramref name="page"/> is a page of its history.</summary>
    public static string MemberStockCard(Guid productId, Guid variantId, int page = 1) =>
        page > 1 ? $"{MemberProduct(productId)}/stok/{variantId}?halaman={page}" : $"{MemberProduct(productId)}/stok/{variantId}";

    /// <summary>Where a member records the cost per unit of a batch that has none.</summary>
    public static string MemberBatchCost(Guid productId, Guid variantId, Guid batchId) => $"{MemberProduct(productId)}/stok/{variantId}/kelompok/{batchId}/harga-pokok";

    public static string LineReady(Guid orderId, Guid lineId) => $"{MemberOrders}/{orderId}/{lineId}/siap";

    // The cooperative admin's portal.
    public const string Admin = "/admin";
    public const string AdminCooperatives = "/admin/koperasi";
    public const string AdminKiosk = "/admin/kiosk";
    public const string AdminOrders = "/admin/pesanan";
    public const string AdminReview = "/admin/produk";

    /// <summary>Buyers' reviews waiting for the cooperative's approval.</summary>
    public const string AdminProductReviews = "/admin/ulasan";

    /// <summary>The reviews of the member's products, to answer.</summary>
    public const string MemberReviews = "/anggota/ulasan";
    public const string AdminMembers = "/admin/anggota";
    public const string AdminPayouts = "/admin/pembayaran";
    public const string AdminReports = "/admin/laporan";
    public const string AdminSettings = "/admin/pengaturan";
    public const string AdminMessages = "/admin/pesan";
    public const string AdminStock = "/admin/stok";
    public const string AdminCounter = "/admin/kasir";
    public const string AdminAudit = "/admin/jejak";
    public const string AdminDeadLetters = "/admin/pesan-gagal";

    /// <summary>Goods of a walk-in sale brought back: refunded in cash from an open till.</summary>
    public static string AdminCounterReturn(Guid orderId) => $"{AdminCounter}/retur/{orderId}";

    /// <summary>A size's stock card in the admin portal; <paramref name="page"/> is a page of its history.</summary>
    public static string AdminStockCard(Guid productId, Guid variantId, int page = 1) =>
        page > 1 ? $"{AdminStock}/{productId}/{variantId}?halaman={page}" : $"{AdminStock}/{productId}/{variantId}";

    public const string AdminDeliveries = "/admin/titip";

    /// <summary>A delivery at the kiosk: counted in while it waits, its receipt once received.</summary>
    public static string AdminDelivery(Guid deliveryId) => $"{AdminDeliveries}/{deliveryId}";

    /// <summary>Catalog's printable receipt, reached by the browser through the Gateway.</summary>
    public static string DeliveryReceiptPdf(Guid deliveryId) => $"/api/catalog/deliveries/{deliveryId}/receipt.pdf";

    public static string AdminResendMessage(Guid messageId) => $"{AdminMessages}/{messageId}/kirim-ulang";

    /// <summary>Where the members page lists the bank accounts waiting for a second person's confirmation.</summary>
    public const string AdminAccountChanges = AdminMembers + "#account-changes";

    public static string KioskOrder(string? pickupCode) =>
        string.IsNullOrWhiteSpace(pickupCode) ? AdminKiosk : QueryHelpers.AddQueryString(AdminKiosk, "kode", pickupCode);

    /// <summary>A form on an order at the kiosk: <c>bayar</c>, <c>hand-over</c>, <c>kirim</c>, <c>deliver</c>, <c>cancel</c>, <c>refund</c>.</summary>
    public static string AdminOrderForm(Guid orderId, string form) => $"{AdminOrders}/{orderId}/{form}";

    /// <summary>A review decision: <c>setujui</c> (approve) or <c>tolak</c> (reject).</summary>
    public static string AdminReviewForm(Guid productId, string decision) => $"{AdminReview}/{productId}/{decision}";

    /// <summary>Approve (<c>setujui</c>) or reject (<c>tolak</c>) a buyer's review.</summary>
    public static string AdminProductReviewForm(Guid reviewId, string decision) => $"{AdminProductReviews}/{reviewId}/{decision}";

    /// <summary>The maker's one reply to a review.</summary>
    public static string MemberReviewReply(Guid reviewId) => $"{MemberReviews}/{reviewId}/balas";

    /// <summary>A member's standing: <c>suspend</c> or <c>reactivate</c>.</summary>
    public static string AdminMemberForm(Guid memberId, string action) => $"{AdminMembers}/{memberId}/{action}";

    public static string AdminMemberAccount(Guid memberId) => $"{AdminMembers}/{memberId}/rekening";

    public static string AdminMemberHoliday(Guid memberId) => $"{AdminMembers}/{memberId}/libur";

    /// <summary>A decision on a proposed bank account: <c>konfirmasi</c> or <c>tolak</c>.</summary>
    public static string AdminAccountChangeForm(Guid changeId, string decision) => $"{AdminMembers}/rekening/{changeId}/{decision}";

    public static string AdminPayout(Guid batchId) => $"{AdminPayouts}/{batchId}";

    /// <summary>A form on a payout batch: <c>setujui</c>, or a member's line <c>{memberId}/paid</c> or <c>{memberId}/failed</c>.</summary>
    public static string AdminPayoutForm(Guid batchId, string form) => $"{AdminPayout(batchId)}/{form}";

    // The kiosk's counter: clerks (kasir) and admins.
    public const string Counter = "/kasir";
    public const string CounterSell = "/kasir/jual";

    /// <summary>Today's walk-in sales of the tills, where the clerk finds a sale brought back.</summary>
    public const string CounterSales = "/kasir/penjualan";

    /// <summary>The clerk's return of a walk-in sale, paid in cash from an open till.</summary>
    public static string CounterReturn(Guid orderId) => $"{Counter}/retur/{orderId}";

    /// <summary>Catalog's shelf labels of the cooperative's products: their QR codes are what the sale screen scans.</summary>
    public static string ShelfLabelsPdf(Guid cooperativeId) => $"/api/catalog/cooperatives/{cooperativeId}/shelf-labels.pdf";

    /// <summary>A walk-in sale's receipt (nota), for anyone holding its link: <c>/nota/{orderId}?key=</c>.</summary>
    public const string Receipt = "/nota";

    /// <summary>A page address with a notice to show on arrival (<c>saved</c>, <c>added</c>...).</summary>
    public static string WithNotice(string path, string notice)
    {
        var fragment = path.IndexOf('#', StringComparison.Ordinal);
        return fragment < 0
            ? QueryHelpers.AddQueryString(path, "notice", notice)
            : QueryHelpers.AddQueryString(path[..fragment], "notice", notice) + path[fragment..];
    }
}
