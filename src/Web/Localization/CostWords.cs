namespace Marketplace.Web.Localization;

/// <summary>The words of costs and laba: a cost's category and the rules a cost is checked by, in the reader's language.</summary>
public static class CostWords
{
    public static string Category(Lang l, string code)
    {
        ArgumentNullException.ThrowIfNull(l);
        return code switch
        {
            "packaging" => l.T("Kemasan", "Packaging"),
            "transport" => l.T("Transportasi", "Transport"),
            "rent" => l.T("Sewa", "Rent"),
            "wages" => l.T("Upah", "Wages"),
            "utilities" => l.T("Listrik, air, pulsa", "Utilities"),
            "payment-fees" => l.T("Biaya pembayaran kartu (Stripe)", "Card payment fees (Stripe)"),
            _ => l.T("Lain-lain", "Other"),
        };
    }

    /// <summary>A cost rule's code said for a person; null when the code is not a cost's.</summary>
    public static string? Rule(Lang l, string code)
    {
        ArgumentNullException.ThrowIfNull(l);
        return code switch
        {
            "cost_category" => l.T("Pilih jenis biaya.", "Choose the kind of cost."),
            "cost_amount" => l.T("Tulis jumlahnya dalam rupiah, lebih dari 0.", "Write the amount in rupiah, more than 0."),
            "cost_date" => l.T("Tanggal paling lambat hari ini dan paling lama setahun lalu.", "The date is today at the latest and at most a year back."),
            "cost_note" => l.T("Catatan paling banyak 200 huruf.", "The note has at most 200 characters."),
            "cost_date_outside_month" => l.T("Biaya yang diubah tetap di bulan ini.", "An edited cost stays in this month."),
            "cost_reason_required" => l.T("Tulis alasan menghapus biaya ini.", "Say why you delete this cost."),
            "cost_month_closed" => l.T("Bulan itu sudah lewat: biayanya tidak bisa diubah lagi. Catat biaya baru bila perlu.",
                "That month has ended: its costs can no longer change. Record a new cost if needed."),
            "cost_already_deleted" => l.T("Biaya ini sudah dihapus atau diganti.", "This cost was already deleted or replaced."),
            _ => null,
        };
    }
}
