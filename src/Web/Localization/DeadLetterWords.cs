namespace Marketplace.Web.Localization;

/// <summary>
/// A failed message's type in plain words (MassTransit names it <c>urn:message:Namespace:Type</c>), and its error's
/// first line. Types not listed here are shown by their short name, which still tells a developer what it is.
/// </summary>
public static class DeadLetterWords
{
    private static readonly Dictionary<string, (string Id, string En)> Types = new(StringComparer.Ordinal)
    {
        ["CooperativeRegistered"] = ("Koperasi terdaftar", "Cooperative registered"),
        ["CooperativeUpdated"] = ("Data koperasi berubah", "Cooperative updated"),
        ["MemberJoined"] = ("Anggota bergabung", "Member joined"),
        ["MemberUpdated"] = ("Data anggota berubah", "Member updated"),
        ["InvitationSent"] = ("Undangan dikirim", "Invitation sent"),
        ["PasswordResetRequested"] = ("Permintaan atur ulang kata sandi", "Password reset requested"),
        ["AccountContactChanged"] = ("Kontak akun berubah", "Account contact changed"),
        ["ShopperSignedIn"] = ("Pembeli masuk", "Shopper signed in"),
        ["ProductSubmittedForReview"] = ("Produk diajukan untuk ditinjau", "Product submitted for review"),
        ["ProductApproved"] = ("Produk disetujui", "Product approved"),
        ["ProductRejected"] = ("Produk ditolak", "Product rejected"),
        ["ProductPublished"] = ("Produk ditayangkan", "Product published"),
        ["ProductChanged"] = ("Produk berubah", "Product changed"),
        ["ProductWithdrawn"] = ("Produk ditarik", "Product withdrawn"),
        ["PermitExpiring"] = ("Izin usaha segera berakhir", "Permit expiring"),
        ["ReserveStock"] = ("Pesan stok untuk pesanan", "Reserve stock for an order"),
        ["ConfirmStockReservation"] = ("Konfirmasi stok pesanan", "Confirm an order's stock"),
        ["ReleaseStockReservation"] = ("Lepas stok pesanan", "Release an order's stock"),
        ["StockReserved"] = ("Stok dipesan", "Stock reserved"),
        ["StockReservationConfirmed"] = ("Stok pesanan dikonfirmasi", "Order stock confirmed"),
        ["StockReservationRefused"] = ("Stok tidak cukup untuk pesanan", "Order stock refused"),
        ["StockReservationReleased"] = ("Stok pesanan dilepas", "Order stock released"),
        ["StockReservationExpired"] = ("Pesanan stok kedaluwarsa", "Stock reservation expired"),
        ["StockConfirmationFailed"] = ("Konfirmasi stok gagal", "Stock confirmation failed"),
        ["StockRunningLow"] = ("Stok menipis", "Stock running low"),
        ["StockShortage"] = ("Stok kurang", "Stock shortage"),
        ["StockSoldAtCost"] = ("Stok terjual (harga pokok)", "Stock sold (at cost)"),
        ["StockReturnedAtCost"] = ("Stok kembali (harga pokok)", "Stock returned (at cost)"),
        ["StockRestockedAtCost"] = ("Stok ditambah (harga pokok)", "Stock restocked (at cost)"),
        ["TakeCounterStock"] = ("Ambil stok untuk kasir", "Take stock for the counter"),
        ["ReturnCounterStock"] = ("Kembalikan stok kasir", "Return counter stock"),
        ["CounterSaleRecorded"] = ("Penjualan kasir dicatat", "Counter sale recorded"),
        ["OrderConfirmed"] = ("Pesanan dikonfirmasi", "Order confirmed"),
        ["OrderPaid"] = ("Pesanan dibayar", "Order paid"),
        ["OrderCancelled"] = ("Pesanan dibatalkan", "Order cancelled"),
        ["OrderReadyForPickup"] = ("Pesanan siap diambil", "Order ready for pickup"),
        ["OrderShipped"] = ("Pesanan dikirim", "Order shipped"),
        ["OrderLinesFulfilled"] = ("Barang pesanan diserahkan", "Order lines fulfilled"),
        ["OrderLinesReviewable"] = ("Barang pesanan bisa diulas", "Order lines open for review"),
        ["OrderRefunded"] = ("Pesanan dikembalikan dananya", "Order refunded"),
        ["OrderPaymentFeesKnown"] = ("Biaya Stripe sebuah pembayaran diketahui", "A payment's Stripe fee known"),
        ["OrderDisputeOpened"] = ("Sengketa pembayaran dibuka", "Payment dispute opened"),
        ["OrderDisputeClosed"] = ("Sengketa pembayaran selesai", "Payment dispute closed"),
        ["StripePayoutPaid"] = ("Pencairan Stripe ke rekening bank", "Stripe payout to the bank"),
        ["CompleteRefund"] = ("Selesaikan pengembalian dana", "Complete a refund"),
        ["TillCashMoved"] = ("Uang kas kasir berpindah", "Till cash moved"),
        ["TillDifferenceRecorded"] = ("Selisih kas dicatat", "Till difference recorded"),
        ["PayoutBatchAwaitingApproval"] = ("Pembayaran anggota menunggu persetujuan", "Payout awaiting approval"),
        ["PayoutPaid"] = ("Pembayaran anggota dibayar", "Payout paid"),
    };

    /// <summary>The message's kind in the reader's language, or its short type name; "unknown" when none was recorded.</summary>
    public static string Type(Lang l, string? messageType)
    {
        ArgumentNullException.ThrowIfNull(l);
        var name = ShortName(messageType);
        if (name is null)
        {
            return l.T("jenis tidak diketahui", "unknown kind");
        }

        return Types.TryGetValue(name, out var words) ? l.T(words.Id, words.En) : name;
    }

    /// <summary><c>urn:message:Marketplace.Contracts.Orders:OrderPaid</c> → <c>OrderPaid</c>; generic arguments dropped.</summary>
    public static string? ShortName(string? messageType)
    {
        if (string.IsNullOrWhiteSpace(messageType))
        {
            return null;
        }

        var type = messageType.Split('[', 2)[0];
        var colon = type.LastIndexOf(':');
        var dot = type.LastIndexOf('.');
        return type[(Math.Max(colon, dot) + 1)..];
    }
}
