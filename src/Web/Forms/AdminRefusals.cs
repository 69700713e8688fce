using Marketplace.Web.Api;
using Marketplace.Web.Localization;

namespace Marketplace.Web.Forms;

/// <summary>
/// Why the kiosk, the review queue or the member list could not do what was pressed, in the page's language: the
/// services answer with a rule's code and an English sentence, neither of which belongs on an Indonesian page.
/// </summary>
public static class AdminRefusals
{
    public static string Explain(Lang l, Problem problem)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(problem);
        return problem.Code switch
        {
            "illegal_transition" or "invalid_transition" => l.T("Keadaannya sudah berubah sementara itu (mungkin oleh admin lain). Lihat keadaannya sekarang di bawah.",
                "It has changed meanwhile (perhaps by another admin). See where it stands now below."),
            "stock_not_confirmed" => l.T("Stok pesanan ini belum dikonfirmasi katalog. Tunggu sebentar lalu tekan lagi.",
                "The catalog has not confirmed this order's stock yet. Wait a moment and press again."),
            "not_paid" => l.T("Pesanan ini belum dibayar.", "This order is not paid yet."),
            "handed_over" => l.T("Pesanan ini sudah diserahkan.", "This order was already handed over."),
            "invalid_method" => l.T("Pilih tunai atau QRIS.", "Choose cash or QRIS."),
            "invalid_shipment" => l.T("Isi kurir dan nomor resi.", "Fill in the courier and the tracking number."),
            "empty_refund" or "invalid_line" => l.T("Pilih barang atau ongkos kirim yang dikembalikan.", "Choose the items or the shipping to refund."),
            "refund_exceeds_payment" => l.T("Pengembalian melebihi yang dibayar untuk pesanan ini.", "The refund is more than was paid for this order."),
            "refund_failed" or "card_error" => l.T("Pengembalian ke kartu gagal; belum ada uang yang dikembalikan. Coba lagi nanti.",
                "The card refund failed; nothing was refunded. Try again later."),
            "reason_required" => l.T("Tulis alasan penolakan (paling sedikit 5 karakter) supaya anggota tahu apa yang harus diperbaiki.",
                "Write the reason (at least 5 characters) so the member knows what to fix."),
            "already_suspended" => l.T("Anggota ini sudah ditangguhkan.", "This member is already suspended."),
            "not_suspended" => l.T("Anggota ini tidak sedang ditangguhkan.", "This member is not suspended."),
            "concurrent_change" => l.T("Ada perubahan lain pada saat yang sama. Coba lagi.", "Something else changed at the same moment. Please try again."),
            "unavailable" => l.T("Layanan sedang tidak bisa dihubungi. Tidak ada yang berubah; coba lagi.",
                "The service cannot be reached. Nothing was changed; please try again."),
            _ when problem.Status == 404 => l.T("Tidak ditemukan: mungkin sudah dihapus, atau bukan milik koperasi ini.",
                "Not found: it may be gone, or not this cooperative's."),
            _ => l.T("Tidak bisa dilakukan. Muat ulang halaman untuk melihat keadaannya sekarang.", "This could not be done. Reload the page to see where things stand."),
        };
    }
}
