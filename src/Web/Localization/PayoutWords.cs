using Marketplace.Web.Api;

namespace Marketplace.Web.Localization;

/// <summary>
/// Settlement's words (batch and line statuses, why a member waits, what is wrong with a bank account) in the
/// reader's language: the API's codes never reach a page.
/// </summary>
public static class PayoutWords
{
    public static string BatchStatus(this Lang l, PayoutBatchStatus status) => status switch
    {
        PayoutBatchStatus.Draft => l.T("Menunggu persetujuan", "Waiting for approval"),
        PayoutBatchStatus.Approved => l.T("Disetujui, siap ditransfer", "Approved, ready to transfer"),
        PayoutBatchStatus.Paid => l.T("Selesai dibayar", "Paid"),
        _ => l.T("Tidak dikenal", "Unknown"),
    };

    public static string LineStatus(this Lang l, PayoutLineStatus status) => status switch
    {
        PayoutLineStatus.Pending => l.T("Belum ditransfer", "Not yet transferred"),
        PayoutLineStatus.Paid => l.T("Sudah dibayar", "Paid"),
        PayoutLineStatus.Failed => l.T("Gagal, saldo dikembalikan", "Failed, amount returned"),
        _ => l.T("Tidak dikenal", "Unknown"),
    };

    public static string WaitingReason(this Lang l, string reason) => reason switch
    {
        "account_unconfirmed" => l.T("Rekening baru belum dikonfirmasi admin kedua", "New bank account not yet confirmed by a second admin"),
        "account_change_pending" => l.T("Perubahan rekening belum dikonfirmasi admin kedua", "Bank account change not yet confirmed by a second admin"),
        _ => l.T("Menunggu", "Waiting"),
    };

    public static string Method(this Lang l, PayoutMethod method) => method == PayoutMethod.Bank ? l.T("Transfer bank", "Bank transfer") : l.T("Tunai di koperasi", "Cash at the cooperative");

    /// <summary>A rule of <c>IndonesianBanks.Check</c>, said to the person filling the form.</summary>
    public static string AccountRule(this Lang l, string rule, int? digits = null) => rule switch
    {
        "bank_missing" => l.T("Pilih bank.", "Choose the bank."),
        "bank_unknown" => l.T("Bank ini tidak ada di daftar.", "This bank is not on the list."),
        "number_missing" => l.T("Isi nomor rekening.", "Enter the account number."),
        "number_not_digits" => l.T("Nomor rekening hanya berisi angka.", "An account number has digits only."),
        "number_length" => digits is { } n
            ? l.T($"Nomor rekening bank ini {n} angka.", $"This bank's account numbers have {n} digits.")
            : l.T("Nomor rekening 8 sampai 18 angka.", "An account number has 8 to 18 digits."),
        "holder_missing" => l.T("Isi nama pemilik rekening, sesuai buku tabungan.", "Enter the account holder's name, as in the bank book."),
        "holder_too_long" => l.T("Nama pemilik paling banyak 100 huruf.", "The holder's name is at most 100 characters."),
        _ => l.T("Periksa isian ini.", "Please check this field."),
    };
}
