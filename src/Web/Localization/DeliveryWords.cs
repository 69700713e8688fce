using Marketplace.Web.Api;

namespace Marketplace.Web.Localization;

/// <summary>
/// The words of goods brought to the kiosk (titip barang): a delivery's state and the rules Catalog checks when one is
/// announced or received, in the reader's language. The limits are Catalog's <c>DeliveriesApi</c>'s.
/// </summary>
public static class DeliveryWords
{
    public static string State(Lang l, KioskDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(delivery);
        return delivery.Status switch
        {
            KioskDeliveryStatus.Received when delivery.Accepted == delivery.Announced => l.T("Diterima semua", "All received"),
            KioskDeliveryStatus.Received => l.T("Diterima sebagian", "Partly received"),
            _ => l.T("Menunggu diterima di kios", "Waiting to be received at the kiosk"),
        };
    }

    /// <summary>A delivery rule's code said for a person; anything else as the other refusals are.</summary>
    public static string Rule(Lang l, string code)
    {
        ArgumentNullException.ThrowIfNull(l);
        return code switch
        {
            "invalid_lines" => l.T("Isi paling sedikit satu baris barang (paling banyak 50).", "Fill in at least one line of goods (at most 50)."),
            "unknown_variant" => l.T("Pilih salah satu produk Anda beserta ukurannya.", "Choose one of your products and its size."),
            "invalid_quantity" => l.T("Jumlah 1 sampai 10.000.", "A quantity is 1 to 10,000."),
            "produced_in_future" => l.T("Tanggal produksi tidak boleh sesudah hari ini.", "The production date cannot be after today."),
            "already_expired" => l.T("Barang ini sudah kedaluwarsa: tanggal kedaluwarsa paling cepat hari ini.",
                "These goods have expired already: the expiry date is today at the earliest."),
            "expiry_required" => l.T("Makanan wajib diisi tanggal kedaluwarsanya, seperti yang tercetak di kemasan.",
                "Food needs its expiry date, as printed on the pack."),
            "expires_before_produced" => l.T("Tanggal kedaluwarsa harus sesudah tanggal produksi.", "The expiry date comes after the production date."),
            "invalid_cost" => l.T("Harga pokok per unit dalam rupiah, 0 sampai 100.000.000.", "The cost per unit is in rupiah, 0 to 100,000,000."),
            "invalid_note" => l.T("Catatan paling banyak 500 huruf.", "The note is at most 500 characters."),
            "invalid_accepted" => l.T("Isi jumlah yang diterima: 0 sampai jumlah yang dibawa.", "Fill in how many are accepted: 0 up to the number brought."),
            "expired_at_receipt" => l.T("Barang ini sudah lewat tanggal kedaluwarsanya: terima 0 dan tulis alasannya.",
                "These goods are past their expiry date: accept 0 and say why."),
            "reason_required" => l.T("Tulis alasan mengapa diterima lebih sedikit dari yang dibawa.", "Say why fewer were accepted than were brought."),
            "invalid_reason" => l.T("Alasan paling banyak 300 huruf.", "A reason is at most 300 characters."),
            "unknown_line" or "line_missing" => l.T("Setiap baris harus dihitung sekali. Muat ulang halaman lalu coba lagi.",
                "Every line must be counted once. Reload the page and try again."),
            "already_received" => l.T("Titipan ini sudah diterima (mungkin oleh pengurus lain). Lihat tanda terimanya di bawah.",
                "This delivery was received already (perhaps by another admin). See its receipt below."),
            _ => Refusals.One(l, code),
        };
    }
}
