using Marketplace.Web.Api;

namespace Marketplace.Web.Localization;

/// <summary>
/// The services refuse with a rule's code (<c>invalid_price</c>) and an English sentence for developers; a person
/// reads the rule here, in her language. Anything not listed gets a plain sentence in her language, never the code.
/// A form whose context calls for other words (checkout: "no order was placed") says those first and falls back here.
/// </summary>
public static class Refusals
{
    /// <summary>Every rule a refusal names, said once each (a form's several fields, or one code).</summary>
    public static string Text(Lang l, Problem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return Text(l, Codes(problem));
    }

    /// <summary>Codes separated by commas, as a refusal travels to the next page (see <c>Flash</c>).</summary>
    public static string Text(Lang l, string codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        return string.Join(" ", codes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => One(l, c)).Distinct());
    }

    /// <summary>A refusal's codes, letters, digits and underscores only: safe to carry in a cookie to the next page.</summary>
    public static string Codes(Problem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        IEnumerable<string> codes = problem.FieldCodes.Count > 0
            ? problem.FieldCodes.SelectMany(f => f.Value)
            : [problem.Code ?? (problem.Status >= 500 ? "unavailable" : "failed")];
        return string.Join(",", codes.Select(c => new string(c.Where(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_').ToArray())).Where(c => c.Length > 0).Distinct());
    }

    /// <summary>
    /// What a photo upload's refusals say, by code, for the page's script (<c>upload.js</c>), which sends the photo
    /// straight to the catalog and reads its refusal itself: it shows these words, never the service's English.
    /// </summary>
    public static string PhotoRefusalsJson(Lang l) => System.Text.Json.JsonSerializer.Serialize(PhotoRefusalCodes.ToDictionary(code => code, code => One(l, code)));

    private static readonly string[] PhotoRefusalCodes =
        ["image_missing", "unsupported_image_type", "unreadable_image", "image_too_large", "image_too_big", "too_large", "too_many_images", "failed"];

    public static string One(Lang l, string code) => code switch
    {
        "message_erased" => l.T("Pesan ini berisi kode undangan atau tautan atur ulang kata sandi yang sudah dihapus setelah terkirim, jadi tidak bisa dikirim ulang. Buat undangan baru, atau minta orangnya mengatur ulang kata sandi lagi.",
            "This message held an invitation code or a password reset link, erased once it was sent, so it cannot be sent again. Make a new invitation, or ask the person to reset her password again."),
        "invalid_name_id" => l.T("Tulis nama produk, 3 sampai 120 huruf.", "Write the product's name, 3 to 120 characters."),
        "invalid_name_en" => l.T("Nama dalam bahasa Inggris paling banyak 120 huruf.", "The English name is at most 120 characters."),
        "invalid_description_id" => l.T("Tulis deskripsi produk, paling banyak 4000 huruf.", "Write a description, at most 4000 characters."),
        "invalid_description_en" => l.T("Deskripsi bahasa Inggris paling banyak 4000 huruf.", "The English description is at most 4000 characters."),
        "invalid_packaging_type" => l.T("Jenis kemasan paling banyak 60 huruf.", "The packaging type is at most 60 characters."),
        "invalid_net_content" => l.T("Isi bersih paling banyak 40 huruf, mis. 250 g.", "Net content is at most 40 characters, e.g. 250 g."),
        "invalid_ingredients" => l.T("Bahan paling banyak 2000 huruf.", "Ingredients are at most 2000 characters."),
        "invalid_allergens" => l.T("Alergen paling banyak 500 huruf.", "Allergens are at most 500 characters."),
        "invalid_storage_note" => l.T("Cara penyimpanan paling banyak 500 huruf.", "The storage note is at most 500 characters."),
        "invalid_shelf_life" => l.T("Masa simpan 1 sampai 3650 hari.", "Shelf life is 1 to 3650 days."),
        "invalid_pirt" => l.T("Nomor P-IRT paling sedikit 15 angka dan diawali angka jenis kemasan 1–8, mis. P-IRT No. 2020235010123-26.",
            "A P-IRT number has at least 15 digits and starts with its packaging digit 1–8, e.g. P-IRT No. 2020235010123-26."),
        "pirt_expiry_missing" => l.T("Isi tanggal berlaku izin P-IRT.", "Give the date the P-IRT permit is valid until."),
        "invalid_bpom" => l.T("Nomor BPOM seperti BPOM RI MD 123456789012 (MD produk lokal, ML impor).",
            "A BPOM number looks like BPOM RI MD 123456789012 (MD for local, ML for imported food)."),
        "invalid_halal" => l.T("Nomor sertifikat halal 6 sampai 40 huruf dan angka, mis. ID35110000123450923.",
            "A halal certificate number has 6 to 40 letters and digits, e.g. ID35110000123450923."),
        "halal_expiry_missing" => l.T("Isi tanggal berlaku sertifikat halal.", "Give the date the halal certificate is valid until."),
        "invalid_category" => l.T("Pilih kategori dari daftar.", "Choose a category from the list."),
        "invalid_sku" => l.T("SKU paling banyak 40 huruf.", "The SKU is at most 40 characters."),
        "invalid_label" => l.T("Tulis ukurannya, mis. 250 g.", "Write the size, e.g. 250 g."),
        "invalid_price" => l.T("Harga Rp 500 sampai Rp 100.000.000, tanpa sen.", "The price is Rp 500 to Rp 100.000.000, whole rupiah."),
        "invalid_weight" => l.T("Berat kirim 1 sampai 30.000 gram.", "The shipping weight is 1 to 30,000 grams."),
        "invalid_stock" => l.T("Stok 0 sampai 1.000.000.", "Stock is 0 to 1,000,000."),
        "invalid_cost" => l.T("Harga pokok per unit dalam rupiah, 0 sampai 100.000.000.", "The cost per unit is in rupiah, 0 to 100,000,000."),
        "cost_already_set" => l.T("Harga pokok kelompok barang ini sudah tercatat dan tidak bisa diubah.", "This batch's cost is recorded already and cannot be changed."),
        "stock_by_delivery" => l.T("Ukuran baru mulai dengan stok 0; stok bertambah saat barang titipan Anda diterima di kios.",
            "A new size starts with no stock; it rises when the goods you bring are received at the kiosk."),
        "no_variants" => l.T("Isi paling sedikit satu ukuran dengan harganya.", "Fill in at least one size with its price."),
        "too_many_variants" => l.T("Paling banyak 12 ukuran.", "At most 12 sizes."),
        "duplicate_sku" => l.T("Dua ukuran memakai SKU yang sama.", "Two sizes have the same SKU."),
        "listing_required" => l.T("Isi nama dan deskripsi produk.", "Fill in the product's name and description."),
        "stock_below_reserved" => l.T("Sebagian stok sedang dipesan pembeli: stok tidak bisa kurang dari yang dipesan.",
            "Some of this stock is held for orders: stock cannot go below what is held."),
        "too_many_images" => l.T("Foto produk sudah maksimal.", "This product has the most photos it can have."),
        "image_missing" or "unsupported_image_type" => l.T("Kirim foto JPEG, PNG atau WebP.", "Send a JPEG, PNG or WebP photo."),
        "unreadable_image" => l.T("Foto tidak terbaca: kirim foto JPEG, PNG atau WebP yang utuh.", "The photo cannot be read: send a whole JPEG, PNG or WebP photo."),
        "image_too_large" => l.T("Gambarnya terlalu besar: paling banyak 40 megapiksel.", "The picture is too large: at most 40 megapixels."),
        "image_too_big" => l.T("Berkas foto paling besar 15 MB.", "A photo file is at most 15 MB."),
        "too_large" => l.T("Berkas terlalu besar.", "The file is too large."),
        "illegal_transition" => l.T("Keadaannya sudah berubah sementara itu (mungkin oleh admin lain). Lihat keadaannya sekarang di halaman ini.",
            "It has changed meanwhile (perhaps by another admin). See where it stands now on this page."),
        "stock_not_confirmed" => l.T("Stok pesanan ini belum dikonfirmasi katalog. Tunggu sebentar lalu tekan lagi.",
            "The catalog has not confirmed this order's stock yet. Wait a moment and press again."),
        "handed_over" => l.T("Pesanan ini sudah diserahkan.", "This order was already handed over."),
        "not_found" => l.T("Tidak ditemukan: mungkin sudah dihapus, atau bukan milik koperasi ini.", "Not found: it may be gone, or not this cooperative's."),
        "archived" => l.T("Produk ini sudah diarsipkan.", "This product is archived."),
        "reason_required" => l.T("Tulis alasan penolakan (5 sampai 1000 huruf) supaya anggota tahu apa yang harus diperbaiki.",
            "Write the reason (5 to 1000 characters) so the member knows what to fix."),
        "already_suspended" => l.T("Anggota ini sudah ditangguhkan.", "This member is suspended already."),
        "not_suspended" => l.T("Anggota ini tidak sedang ditangguhkan.", "This member is not suspended."),
        "member_suspended" => l.T("Anggota ini sedang ditangguhkan.", "This member is suspended."),
        "cooperative_inactive" => l.T("Koperasi ini sedang tidak aktif.", "This cooperative is not active."),
        "invalid_quantity" => l.T("Jumlah 1 sampai 99.", "A quantity is 1 to 99."),
        "basket_full" => l.T("Keranjang sudah penuh.", "The basket is full."),
        "line_unavailable" => l.T("Produk ini tidak dijual lagi.", "This product is no longer on sale."),
        "empty_basket" => l.T("Keranjang masih kosong.", "The basket is empty."),
        "invalid_method" => l.T("Pilih tunai atau QRIS.", "Choose cash or QRIS."),
        "invalid_payment" => l.T("Pilih cara pembayaran.", "Choose how it is paid."),
        "not_paid" => l.T("Pesanan ini belum dibayar.", "This order is not paid yet."),
        "invalid_shipment" => l.T("Isi kurir dan nomor resi.", "Fill in the courier and the tracking number."),
        "refund_exceeds_payment" => l.T("Pengembalian melebihi yang dibayar untuk pesanan ini.", "The refund is more than was paid for this order."),
        "empty_refund" or "invalid_line" => l.T("Pilih barang atau ongkos kirim yang dikembalikan.", "Choose the items or the shipping to refund."),
        "refund_failed" or "card_error" => l.T("Pengembalian ke kartu gagal; belum ada uang yang dikembalikan. Coba lagi nanti.",
            "The card refund failed; nothing was refunded. Try again later."),
        "same_admin" => l.T("Pengurus lain yang harus menyetujui.", "Another admin must approve this."),
        "same_person" => l.T("Anda yang mengajukan rekening ini; pengurus lain harus mengonfirmasinya.", "You proposed this account; another admin must confirm it."),
        "own_account" => l.T("Rekening Anda sendiri harus dikonfirmasi pengurus lain.", "Your own account must be confirmed by another admin."),
        "invalid_reason" => l.T("Alasan paling banyak 200 huruf.", "A reason is at most 200 characters."),
        "invalid_reference" => l.T("Isi nomor referensi transfer.", "Fill in the transfer reference."),
        "kiosk_closed" or "invalid_pickup_date" => l.T("Pilih hari dan jam saat kios buka.", "Choose a day and time when the kiosk is open."),
        "invalid_fee" => l.T("Biaya koperasi 0 sampai 100 persen.", "The cooperative's fee is 0 to 100 percent."),
        "invalid_shipping_rate" => l.T("Periksa tarif kirim: zona, berat dan harga dalam rupiah.", "Check the shipping rates: zone, weight and price in rupiah."),
        "invalid_opening_hours" => l.T("Periksa jam buka kios: jam tutup setelah jam buka.", "Check the kiosk's opening hours: it closes after it opens."),
        "invalid_holding_period" => l.T("Masa tahan 0 sampai 60 hari.", "The holding period is 0 to 60 days."),
        "invalid_whatsapp" => l.T("Nomor WhatsApp seperti 0812 3456 7890 atau +44 7700 900123.", "A WhatsApp number looks like 0812 3456 7890 or +44 7700 900123."),
        "invalid_email" => l.T("Periksa alamat email.", "Please check the email address."),
        "invalid_name" => l.T("Tulis namanya.", "Write the name."),
        "invalid_slug" => l.T("Alamat singkat hanya huruf kecil, angka dan tanda hubung.", "The short address takes only lower-case letters, digits and hyphens."),
        "slug_taken" => l.T("Alamat singkat ini sudah dipakai.", "This short address is taken."),
        "invalid_address" => l.T("Periksa alamat pengiriman.", "Please check the delivery address."),
        "no_shipping_rate" => l.T("Koperasi belum mengirim ke provinsi ini.", "The cooperative does not ship to this province yet."),
        "cards_not_accepted" => l.T("Koperasi ini belum menerima kartu; bayar di kios.", "This cooperative does not take cards yet; pay at the kiosk."),
        "online_payment_unavailable" => l.T("Saat ini koperasi tidak bisa menerima pembayaran online; bayar di kios.", "The cooperative cannot take online payments at the moment; pay at the kiosk."),
        "below_card_minimum" => l.T("Belanja terlalu kecil untuk dibayar dengan kartu.", "The basket is too small to pay by card."),
        "kiosk_payment_needs_pickup" => l.T("Bayar di kios hanya untuk pesanan yang diambil di kios.", "Paying at the kiosk is only for orders picked up there."),
        "invalid_fulfilment" => l.T("Pilih ambil di kios atau dikirim.", "Choose pickup at the kiosk or shipping."),
        "invalid_minimum" or "invalid_cut_off" or "invalid_payout_account" => l.T("Periksa isian pembayaran anggota.", "Please check the payout's fields."),
        "invalid_shu" => l.T("SHU dan simpanan tidak boleh negatif, dan jumlah persen jasa usaha dan jasa modal paling banyak 100.",
            "The surplus and savings are 0 or more, and the two pools' percentages add up to at most 100."),
        "wrong_cooperative" => l.T("Ini milik koperasi lain.", "This belongs to another cooperative."),
        "account_needs_new_proposal" => l.T("Rekening ini belum lengkap atau banknya tidak ada di daftar: ajukan lagi dengan bank dari daftar.",
            "This account is incomplete or names a bank not on the list: propose it again with a bank from the list."),
        "duplicate" => l.T("Sudah ada.", "That exists already."),
        "conflict" or "concurrency" or "concurrent_change" => l.T("Ada perubahan lain pada saat yang sama. Muat ulang halaman lalu coba lagi.",
            "Something else changed at the same time. Reload the page and try again."),
        "unavailable" => l.T("Layanan sedang tidak bisa dihubungi. Tidak ada yang berubah; coba lagi sebentar lagi.",
            "The service cannot be reached right now. Nothing was changed; please try again in a moment."),
        "temporarily_unavailable" => l.T("Layanan sedang terganggu sebentar. Coba lagi beberapa detik lagi.",
            "The service is briefly unavailable. Please try again in a few seconds."),
        "control_character" => l.T("Ada karakter tak terlihat (karakter kendali) di isian ini. Ketik ulang tanpa menempelkannya.",
            "This field holds an invisible (control) character. Please type it again rather than pasting it."),
        "rate_limited" or "too_many_attempts" => l.T("Terlalu banyak permintaan. Tunggu sebentar.", "Too many requests. Please wait a moment."),
        "invalid_language" => l.T("Pilih Bahasa Indonesia atau English.", "Choose Bahasa Indonesia or English."),
        "no_email_on_account" => l.T("Akun ini tidak punya alamat email; pesan hanya bisa lewat WhatsApp.", "This account has no email address; messages can come only by WhatsApp."),
        "no_whatsapp_on_account" => l.T("Akun ini tidak punya nomor WhatsApp; pesan hanya bisa lewat email.", "This account has no WhatsApp number; messages can come only by email."),
        _ when CostWords.Rule(l, code) is { } cost => cost,
        "till_session_required" or "unknown_till_session" or "till_closed" or "not_enough_cash" => CounterWords.Rule(l, code),
        "not_reviewable" => l.T("Hanya pembeli yang sudah menerima barang ini yang bisa memberi ulasan.", "Only the buyer who has received this item can review it."),
        "already_reviewed" => l.T("Barang ini sudah Anda ulas; satu barang diulas sekali.", "You have reviewed this item already; each item is reviewed once."),
        "rating_out_of_range" => l.T("Pilih 1 sampai 5 bintang.", "Choose 1 to 5 stars."),
        "review_text_required" => l.T("Tulis beberapa kata tentang barangnya.", "Write a few words about the item."),
        "review_text_too_long" => l.T("Ulasan paling banyak 2000 huruf.", "A review is at most 2000 characters."),
        "review_not_pending" => l.T("Foto hanya bisa ditambahkan selama ulasan menunggu persetujuan.", "A photo can be added only while the review waits for approval."),
        "review_reason_required" => l.T("Tulis alasan ulasan ini tidak ditampilkan; penulisnya melihat alasan ini.", "Say why this review is not shown; its writer sees the reason."),
        "review_reason_too_long" => l.T("Alasan paling banyak 1000 huruf.", "The reason is at most 1000 characters."),
        "review_not_approved" => l.T("Hanya ulasan yang tampil di halaman produk yang bisa dibalas.", "Only a review shown on the product's page can be answered."),
        "already_replied" => l.T("Ulasan ini sudah Anda balas; balasan hanya sekali.", "You have answered this review already; a review is answered once."),
        "reply_required" => l.T("Tulis balasan Anda.", "Write your reply."),
        "reply_too_long" => l.T("Balasan paling banyak 1000 huruf.", "A reply is at most 1000 characters."),
        _ => l.T("Tidak berhasil. Periksa isiannya lalu coba lagi.", "That did not work. Please check and try again."),
    };
}
