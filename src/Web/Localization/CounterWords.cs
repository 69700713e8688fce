namespace Marketplace.Web.Localization;

/// <summary>
/// The words of the kiosk's counter: the rules Orders checks on a till, a sale or a return, in the reader's language.
/// The codes are Orders' <c>TillSession</c>'s and <c>CounterSales</c>'.
/// </summary>
public static class CounterWords
{
    public static string Rule(Lang l, string code)
    {
        ArgumentNullException.ThrowIfNull(l);
        return code switch
        {
            "invalid_float" => l.T("Modal awal adalah uang di laci saat dibuka: 0 rupiah atau lebih.", "The float is the cash in the drawer at opening: 0 rupiah or more."),
            "till_already_open" => l.T("Kas ini sudah dibuka oleh kasir lain. Pakai sesi yang terbuka, atau tutup dulu.", "This till is already open. Use the open session, or close it first."),
            "invalid_amount" => l.T("Tulis jumlah dalam rupiah, lebih dari 0.", "Type an amount in rupiah, more than 0."),
            "reason_required" => l.T("Tulis alasan uang masuk atau keluar (paling banyak 200 huruf).", "Say why the cash moved (at most 200 characters)."),
            "invalid_direction" => l.T("Pilih uang masuk atau uang keluar.", "Choose cash in or cash out."),
            "note_too_long" => l.T("Catatan paling banyak 300 huruf.", "A note is at most 300 characters."),
            "till_closed" => l.T("Sesi kas ini sudah ditutup.", "This till session is closed."),
            "no_review_pending" => l.T("Sesi kas ini tidak menunggu tinjauan.", "This till session does not await a review."),
            "not_enough_cash" => l.T("Uang di laci tidak cukup untuk pengembalian ini.", "The drawer does not hold enough cash for this refund."),
            "till_session_required" => l.T("Buka sesi kas dulu: uang tunai masuk ke laci kas.", "Open a till session first: cash goes into a till."),
            "unknown_till_session" => l.T("Sesi kas ini tidak dikenal.", "This till session is not known."),
            "reference_required" => l.T("Tulis nomor referensi dari bukti pembayaran QRIS.", "Type the reference from the QRIS payment notice."),
            "invalid_reference" => l.T("Nomor referensi paling banyak 100 huruf.", "A reference is at most 100 characters."),
            "unknown_product" => l.T("Produk ini bukan milik koperasi ini: pindai atau pilih lagi.", "This product is not sold by this cooperative: scan or choose it again."),
            "invalid_quantity" => l.T("Jumlah 1 sampai 999.", "A quantity is 1 to 999."),
            "invalid_price" => l.T("Harga lebih dari 0 rupiah.", "The price is more than 0 rupiah."),
            "invalid_channel" => l.T("Pilih tunai atau QRIS.", "Choose cash or QRIS."),
            "invalid_sold_at" => l.T("Waktu penjualan tidak masuk akal: periksa jam perangkat.", "The time of the sale is not believable: check the device's clock."),
            "sale_too_old" => l.T("Penjualan lebih dari 14 hari tidak diterima lagi: catat bersama admin.", "A sale older than 14 days is no longer taken: enter it with an admin."),
            "sale_id_reused" => l.T("Nomor penjualan ini sudah dipakai untuk penjualan lain.", "This sale's id was already used for another sale."),
            "tendered_too_little" => l.T("Uang diterima kurang dari total.", "The cash received is less than the total."),
            "empty_return" => l.T("Pilih paling sedikit satu barang yang dikembalikan.", "Choose at least one item that came back."),
            "invalid_line" => l.T("Barang itu tidak ada di nota ini.", "That item is not on this receipt."),
            "more_than_sold" => l.T("Lebih dari yang terjual dan belum dikembalikan.", "More than was sold and not yet returned."),
            "invalid_qris" => l.T("Ini bukan kode QRIS yang utuh (diawali 000201). Pindai stiker QRIS lagi dan salin isinya.", "This is not a whole QRIS code (it starts with 000201). Scan the QRIS sticker again and copy its text."),
            "qris_checksum" => l.T("Angka periksa kode QRIS tidak cocok: ada yang salah salin. Pindai stiker lagi.", "The QRIS code's checksum does not match: something was copied wrong. Scan the sticker again."),
            "unavailable" => l.T("Layanan sedang tidak dapat dihubungi. Tidak ada yang berubah; coba lagi.", "The service cannot be reached right now. Nothing was changed; try again."),
            _ => l.T("Tidak bisa disimpan. Periksa isian dan coba lagi.", "This could not be saved. Check the fields and try again."),
        };
    }

    /// <summary>A till session's state in words.</summary>
    public static string State(Lang l, Api.TillReport report)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(report);
        return !report.Closed ? l.T("terbuka", "open")
            : report.AwaitsReview ? l.T("ditutup, menunggu tinjauan admin", "closed, awaiting the admin's review")
            : l.T("ditutup", "closed");
    }
}
