using Marketplace.Web.Localization;

namespace Marketplace.Web.Components.MemberPortal;

/// <summary>The catalog's rules for a product, said in the member's language next to the field they are about.</summary>
public static class ProductErrors
{
    public static string Text(Lang l, string code) => code switch
    {
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
        "no_variants" => l.T("Isi paling sedikit satu ukuran dengan harganya.", "Fill in at least one size with its price."),
        "too_many_variants" => l.T("Paling banyak 12 ukuran.", "At most 12 sizes."),
        "duplicate_sku" => l.T("Dua ukuran memakai SKU yang sama.", "Two sizes have the same SKU."),
        "listing_required" => l.T("Isi nama dan deskripsi produk.", "Fill in the product's name and description."),
        _ => l.T("Periksa isian ini.", "Please check this field."),
    };
}
