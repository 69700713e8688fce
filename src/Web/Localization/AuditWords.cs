using System.Globalization;
using System.Text.Json;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.Web.Api;

namespace Marketplace.Web.Localization;

/// <summary>
/// An audit entry said as a sentence in the reader's language: what was done, to what, with the amounts before and
/// after. The services record field values; the words are made here, so no field key or action code reaches a page.
/// </summary>
public static class AuditWords
{
    /// <summary>The kinds of action an admin filters by, each with the action prefixes it covers.</summary>
    public static readonly IReadOnlyList<(string Key, string Id, string En, string[] Actions)> Kinds =
    [
        ("uang", "Uang", "Money", ["order", "refund", "counter", "till", "payout", "payout-account"]),
        ("stok", "Stok", "Stock", ["stock"]),
        ("produk", "Tinjauan produk", "Product review", ["product", "review"]),
        ("peran", "Peran & undangan", "Roles & invitations", ["invitation", "role", "member"]),
        ("pengaturan", "Pengaturan", "Settings", ["settings", "cooperative"]),
    ];

    public static string Source(Lang l, AuditSource source) => source switch
    {
        AuditSource.Catalog => l.T("Katalog", "Catalogue"),
        AuditSource.Orders => l.T("Pesanan & kasir", "Orders & counter"),
        AuditSource.Settlement => l.T("Pembukuan & pembayaran", "Books & payouts"),
        _ => l.T("Akun & undangan", "Accounts & invitations"),
    };

    /// <summary>Who acted, in her role's words; the system when no person did.</summary>
    public static string Who(Lang l, AuditEntryView entry)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.ActorId is null)
        {
            return l.T("Sistem", "The system");
        }

        var roles = entry.ActorRole.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var role = roles.Contains("platform-admin") ? l.T("admin platform", "platform admin")
            : roles.Contains("cooperative-admin") ? l.T("pengurus", "admin")
            : roles.Contains("kiosk-clerk") ? l.T("kasir", "clerk")
            : roles.Contains("member") ? l.T("anggota", "member")
            : l.T("pembeli", "shopper");
        var name = string.IsNullOrWhiteSpace(entry.ActorName) ? l.T("(tanpa nama)", "(no name)") : entry.ActorName;
        return $"{name} ({role})";
    }

    /// <summary>What was done, as a sentence.</summary>
    public static string What(Lang l, AuditEntryView entry)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(entry);
        var before = entry.Before;
        var after = entry.After;
        string Text(JsonElement? from, string field) => Str(from, field) ?? "";
        string Money(JsonElement? from, string field) => Rupiah.Display(Long(from, field) ?? 0);
        string Code(string field) => Str(after, field) ?? Str(before, field) ?? "";
        string Channel() => Str(after, "paymentChannel") switch
        {
            "cash" => l.T("tunai", "cash"),
            "qris" => "QRIS",
            "card" => l.T("kartu", "card"),
            _ => l.T("cara lain", "another way"),
        };
        // Invitations name the kind ("clerk"), roles granted name the role ("kiosk-clerk").
        string Role(string? role) => role switch
        {
            "member" => l.T("anggota", "member"),
            "clerk" or "kiosk-clerk" => l.T("kasir", "clerk"),
            "admin" or "cooperative-admin" => l.T("pengurus", "admin"),
            _ => l.T("anggota koperasi", "a member of the cooperative"),
        };

        return entry.Action switch
        {
            "review.approved" => l.T($"Menyetujui ulasan {Long(after, "rating")} bintang untuk «{Text(after, "product")}»",
                $"Approved a {Long(after, "rating")}-star review of «{Text(after, "product")}»"),
            "review.rejected" when Str(before, "status") == "approved" => l.T($"Menurunkan ulasan {Long(after, "rating")} bintang untuk «{Text(after, "product")}»",
                $"Took down a {Long(after, "rating")}-star review of «{Text(after, "product")}»"),
            "review.rejected" => l.T($"Menolak ulasan {Long(after, "rating")} bintang untuk «{Text(after, "product")}»",
                $"Rejected a {Long(after, "rating")}-star review of «{Text(after, "product")}»"),
            "product.approved" => l.T($"Menyetujui produk «{Text(after, "name")}»", $"Approved the product «{Text(after, "name")}»"),
            "product.rejected" => l.T($"Menolak produk «{Text(after, "name")}»", $"Rejected the product «{Text(after, "name")}»"),
            "product.archived" => l.T($"Mengarsipkan produk «{Text(after, "name")}»", $"Archived the product «{Text(after, "name")}»"),
            "product.price-changed" => l.T(
                $"Mengubah harga «{Text(after, "name")}» {Text(after, "label")}: {Money(before, "priceRupiah")} → {Money(after, "priceRupiah")}",
                $"Changed the price of «{Text(after, "name")}» {Text(after, "label")}: {Money(before, "priceRupiah")} → {Money(after, "priceRupiah")}"),
            "stock.adjusted" => l.T(
                $"Mengubah stok «{Text(after, "product")}»: {Long(before, "onHand")} → {Long(after, "onHand")} unit",
                $"Changed the stock of «{Text(after, "product")}»: {Long(before, "onHand")} → {Long(after, "onHand")} units"),
            "stock.counted" => Counted(l, before, after),
            "stock.received" => Received(l, before, after),
            "stock.cost-set" => l.T(
                $"Mencatat harga pokok «{Text(after, "product")}» {Text(after, "label")}: {Money(after, "costPerUnitRupiah")} per unit",
                $"Recorded the cost of «{Text(after, "product")}» {Text(after, "label")}: {Money(after, "costPerUnitRupiah")} per unit"),
            "stock.low-stock-set" => l.T(
                $"Batas stok menipis «{Text(after, "product")}» {Text(after, "label")}: {Threshold(l, before)} → {Threshold(l, after)}",
                $"Low-stock threshold of «{Text(after, "product")}» {Text(after, "label")}: {Threshold(l, before)} → {Threshold(l, after)}"),
            "stock.settings-changed" => l.T(
                $"Peringatan kedaluwarsa: {Long(before, "expiryWarningDays")} → {Long(after, "expiryWarningDays")} hari sebelumnya",
                $"Expiry warning: {Long(before, "expiryWarningDays")} → {Long(after, "expiryWarningDays")} days ahead"),
            "cooperative.registered" => l.T($"Mendaftarkan koperasi «{Text(after, "name")}»", $"Registered the cooperative «{Text(after, "name")}»"),
            "cooperative.renamed" => l.T($"Mengganti nama koperasi: «{Text(before, "name")}» → «{Text(after, "name")}»",
                $"Renamed the cooperative: «{Text(before, "name")}» → «{Text(after, "name")}»"),
            "cooperative.profile-changed" => l.T("Mengubah profil koperasi (cerita, lokasi kios, jam buka, WhatsApp)",
                "Changed the cooperative's profile (story, kiosk location, opening hours, WhatsApp)"),
            "cooperative.fee-changed" => l.T($"Mengubah biaya koperasi: {Percent(before)} → {Percent(after)}",
                $"Changed the cooperative's fee: {Percent(before)} → {Percent(after)}"),
            "cooperative.suspended" => l.T("Menangguhkan koperasi", "Suspended the cooperative"),
            "cooperative.reactivated" => l.T("Mengaktifkan kembali koperasi", "Reinstated the cooperative"),
            "member.suspended" => l.T($"Menangguhkan anggota {Text(after, "displayName")}", $"Suspended the member {Text(after, "displayName")}"),
            "member.reactivated" => l.T($"Mengaktifkan kembali anggota {Text(after, "displayName")}", $"Reinstated the member {Text(after, "displayName")}"),
            "settings.kiosk-holds-changed" => l.T("Mengubah batas pesanan bayar di kios", "Changed the limits on pay-at-kiosk orders"),
            "settings.shipping-rates-changed" => l.T("Mengubah ongkos kirim", "Changed the shipping rates"),
            "settings.receipt-details-changed" => l.T("Mengubah alamat dan NPWP koperasi pada bukti pembayaran", "Changed the cooperative's address and NPWP on receipts"),
            "settings.till-changed" => l.T(
                $"Selisih kas yang harus ditinjau: di atas {Money(before, "tillDifferenceReviewRupiah")} → di atas {Money(after, "tillDifferenceReviewRupiah")}",
                $"Till differences to review: above {Money(before, "tillDifferenceReviewRupiah")} → above {Money(after, "tillDifferenceReviewRupiah")}"),
            "settings.stripe-connected" => l.T("Membuat akun Stripe koperasi", "Created the cooperative's Stripe account"),
            "settings.stripe-state-changed" => l.T(
                $"Akun Stripe: pembayaran online {(Bool(after, "chargesEnabled") ? "aktif" : "tidak aktif")}, pencairan {(Bool(after, "payoutsEnabled") ? "aktif" : "tidak aktif")}",
                $"Stripe account: online payments {(Bool(after, "chargesEnabled") ? "on" : "off")}, payouts {(Bool(after, "payoutsEnabled") ? "on" : "off")}"),
            "settings.qris-changed" => l.T("Mengganti kode QRIS koperasi", "Replaced the cooperative's QRIS code"),
            "settings.holding-days-changed" => l.T(
                $"Hasil penjualan ditahan sebelum dibayar: {Long(before, "holdingDays") ?? 0} → {Long(after, "holdingDays")} hari",
                $"Sales held before members are paid: {Long(before, "holdingDays") ?? 0} → {Long(after, "holdingDays")} days"),
            "order.hold-released" => l.T($"Melepas tahanan pesanan {Code("pickupCode")}", $"Released the hold of order {Code("pickupCode")}"),
            "order.paid-at-kiosk" => l.T($"Menerima pembayaran pesanan {Code("pickupCode")}: {Money(after, "totalRupiah")} ({Channel()})",
                $"Took payment for order {Code("pickupCode")}: {Money(after, "totalRupiah")} ({Channel()})"),
            "order.handed-over" => l.T($"Menyerahkan pesanan {Code("pickupCode")}", $"Handed over order {Code("pickupCode")}"),
            "order.shipped" => l.T($"Mengirim pesanan {Code("pickupCode")} (resi {Text(after, "trackingNumber")})",
                $"Shipped order {Code("pickupCode")} (tracking {Text(after, "trackingNumber")})"),
            "order.kuitansi-requested" => l.T($"Meminta kuitansi pesanan {Code("pickupCode")} atas nama {Text(after, "institution")}",
                $"Asked for order {Code("pickupCode")}'s kuitansi in the name of {Text(after, "institution")}"),
            "order.delivered" => l.T($"Mencatat pesanan {Code("pickupCode")} sampai", $"Recorded order {Code("pickupCode")} as delivered"),
            "order.cancelled" => l.T($"Membatalkan pesanan {Code("pickupCode")}", $"Cancelled order {Code("pickupCode")}"),
            "refund.requested" => l.T($"Mengembalikan uang pesanan {Code("pickupCode")}: {Money(after, "totalRupiah")}",
                $"Refunded order {Code("pickupCode")}: {Money(after, "totalRupiah")}"),
            "counter.sold" => l.T($"Menjual di kasir, nota {Code("receipt")}: {Money(after, "totalRupiah")} ({Channel()})",
                $"Sold at the counter, receipt {Code("receipt")}: {Money(after, "totalRupiah")} ({Channel()})"),
            "counter.returned" => l.T($"Menerima barang kembali, nota {Code("receipt")}: {Money(after, "totalRupiah")} dikembalikan tunai",
                $"Took goods back, receipt {Code("receipt")}: {Money(after, "totalRupiah")} given back in cash"),
            "till.created" => l.T($"Membuat kas «{Text(after, "name")}»", $"Created the till «{Text(after, "name")}»"),
            "till.opened" => l.T($"Membuka kas «{Text(after, "till")}» dengan modal {Money(after, "floatRupiah")}",
                $"Opened the till «{Text(after, "till")}» with a float of {Money(after, "floatRupiah")}"),
            "till.cash-paid-in" => l.T($"Memasukkan uang ke kas: {Rupiah.Display((Long(after, "paidInRupiah") ?? 0) - (Long(before, "paidInRupiah") ?? 0))}",
                $"Put cash into the till: {Rupiah.Display((Long(after, "paidInRupiah") ?? 0) - (Long(before, "paidInRupiah") ?? 0))}"),
            "till.cash-paid-out" => l.T($"Mengambil uang dari kas: {Rupiah.Display((Long(after, "paidOutRupiah") ?? 0) - (Long(before, "paidOutRupiah") ?? 0))}",
                $"Took cash out of the till: {Rupiah.Display((Long(after, "paidOutRupiah") ?? 0) - (Long(before, "paidOutRupiah") ?? 0))}"),
            "till.closed" => l.T($"Menutup kas: dihitung {Money(after, "countedRupiah")}, selisih {Money(after, "differenceRupiah")}",
                $"Closed the till: counted {Money(after, "countedRupiah")}, difference {Money(after, "differenceRupiah")}"),
            "till.reviewed" => l.T("Meninjau selisih kas", "Reviewed a till difference"),
            "payout.prepared" => l.T($"Menyiapkan pembayaran anggota: {Long(after, "members")} anggota, {Money(after, "totalRupiah")}",
                $"Prepared a payout: {Long(after, "members")} members, {Money(after, "totalRupiah")}"),
            "payout.approved" => l.T($"Menyetujui pembayaran anggota: {Long(after, "members")} anggota, {Money(after, "totalRupiah")}",
                $"Approved a payout: {Long(after, "members")} members, {Money(after, "totalRupiah")}"),
            "payout.transfer-paid" => l.T($"Mencatat transfer {Money(after, "amountRupiah")} ke {Text(after, "bank")} {Text(after, "accountNumber")} (ref. {Text(after, "reference")})",
                $"Recorded a transfer of {Money(after, "amountRupiah")} to {Text(after, "bank")} {Text(after, "accountNumber")} (ref. {Text(after, "reference")})"),
            "payout.transfer-failed" => l.T($"Mencatat transfer {Money(after, "amountRupiah")} ke {Text(after, "bank")} {Text(after, "accountNumber")} gagal",
                $"Recorded a failed transfer of {Money(after, "amountRupiah")} to {Text(after, "bank")} {Text(after, "accountNumber")}"),
            "payout-account.proposed" => l.T($"Mengusulkan rekening {Account(after)}", $"Proposed the bank account {Account(after)}"),
            "payout-account.confirmed" => l.T($"Mengonfirmasi rekening {Account(after)}", $"Confirmed the bank account {Account(after)}"),
            "payout-account.rejected" => l.T($"Menolak rekening {Account(after)}", $"Refused the bank account {Account(after)}"),
            "invitation.created" => l.T($"Mengundang {Invitee(l, after)} sebagai {Role(Str(after, "kind"))}", $"Invited {Invitee(l, after)} as {Role(Str(after, "kind"))}"),
            "invitation.revoked" => l.T($"Membatalkan undangan untuk {Invitee(l, before)}", $"Withdrew the invitation for {Invitee(l, before)}"),
            "role.granted" => l.T($"Bergabung sebagai {Role(Str(after, "role"))}", $"Joined as {Role(Str(after, "role"))}"),
            "dead-letter.replayed" => l.T($"Mengirim ulang pesan gagal: {DeadLetterWords.Type(l, Str(after, "messageType"))}",
                $"Sent a failed message again: {DeadLetterWords.Type(l, Str(after, "messageType"))}"),
            "platform.exchange-rates-set" => l.T("Mengubah kurs untuk perkiraan harga", "Changed the exchange rates for approximate prices"),
            "dead-letter.discarded" => l.T($"Membuang pesan gagal: {DeadLetterWords.Type(l, Str(after, "messageType"))}",
                $"Discarded a failed message: {DeadLetterWords.Type(l, Str(after, "messageType"))}"),
            _ => l.T("Tindakan lain", "Another action"),
        };
    }

    private static string Counted(Lang l, JsonElement? before, JsonElement? after)
    {
        var recorded = Items(before).ToDictionary(e => Str(e, "variantId") ?? "", e => Long(e, "onHand") ?? 0);
        var counted = Items(after).ToList();
        var different = counted.Count(e => recorded.GetValueOrDefault(Str(e, "variantId") ?? "") != (Long(e, "onHand") ?? 0));
        return l.T($"Stok opname: {counted.Count} ukuran dihitung, {different} berbeda dari catatan",
            $"Stock count: {counted.Count} sizes counted, {different} differing from the records");
    }

    private static string Received(Lang l, JsonElement? before, JsonElement? after)
    {
        var brought = Items(before).Sum(e => Long(e, "announced") ?? 0);
        var accepted = Items(after).Sum(e => Long(e, "accepted") ?? 0);
        return l.T($"Menerima titipan barang: {accepted} dari {brought} unit diterima", $"Received goods brought in: {accepted} of {brought} units accepted");
    }

    private static string Percent(JsonElement? fields) =>
        fields is { ValueKind: JsonValueKind.Object } f && f.TryGetProperty("feePercent", out var p) && p.TryGetDecimal(out var value)
            ? value.ToString("0.##", CultureInfo.InvariantCulture) + " %"
            : "?";

    private static string Account(JsonElement? fields) =>
        $"{Str(fields, "bankName") ?? Str(fields, "bank")} {Str(fields, "accountNumber")} a.n. {Str(fields, "accountName")}".Trim();

    private static string Threshold(Lang l, JsonElement? fields) =>
        Long(fields, "threshold") is { } units ? l.T($"{units} unit", $"{units} units") : l.T("tidak ada", "none");

    private static string Invitee(Lang l, JsonElement? fields) => Str(fields, "inviteeName") is { Length: > 0 } name ? name : l.T("seseorang", "someone");

    private static List<JsonElement> Items(JsonElement? list) =>
        list is { ValueKind: JsonValueKind.Array } array ? [.. array.EnumerateArray()] : [];

    private static string? Str(JsonElement? fields, string name) =>
        fields is { ValueKind: JsonValueKind.Object } f && f.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => value.ToString(),
            }
            : null;

    private static bool Bool(JsonElement? fields, string name) =>
        fields is { ValueKind: JsonValueKind.Object } f && f.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static long? Long(JsonElement? fields, string name) =>
        fields is { ValueKind: JsonValueKind.Object } f && f.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : null;
}
