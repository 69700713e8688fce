using Marketplace.Web.Api;
using Marketplace.Web.Localization;

namespace Marketplace.Web.Components.Parts;

/// <summary>Why the Gateway would not issue an invitation, in the page's language (it answers with codes and English).</summary>
public static class InvitationProblems
{
    public static string Message(Lang l, Problem problem)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(problem);
        return problem switch
        {
            { Code: "cooperative_suspended" } => l.T("Koperasi ini ditangguhkan dan tidak bisa mengundang siapa pun.", "This cooperative is suspended and cannot invite anyone."),
            { Code: "invalid_name" } => l.T("Nama paling banyak 100 karakter.", "The name has at most 100 characters."),
            { Code: "unavailable" } => l.T("Layanan akun sedang tidak bisa dihubungi. Belum ada kode yang dibuat; coba lagi.",
                "The account service cannot be reached. No code was made; please try again."),
            // The Gateway learns of a new cooperative a moment after the catalog registers it.
            { Status: 404 } => l.T("Koperasi ini baru saja didaftarkan dan belum siap menerima undangan. Coba lagi sebentar lagi.",
                "This cooperative was registered a moment ago and cannot take invitations yet. Try again in a moment."),
            { Status: 403 } => l.T("Anda tidak boleh mengundang ke koperasi ini.", "You may not invite anyone into this cooperative."),
            _ => l.T("Kode undangan tidak bisa dibuat. Coba lagi.", "The invitation code could not be made. Please try again."),
        };
    }

    /// <summary>One refused field of the invitation form (the Gateway's <c>fieldCodes</c>), in the page's language.</summary>
    public static string FieldMessage(Lang l, string code)
    {
        ArgumentNullException.ThrowIfNull(l);
        return code switch
        {
            "invalid_name" => l.T("Nama paling banyak 100 karakter.", "The name has at most 100 characters."),
            "invalid_whatsapp" => l.T("Ini bukan nomor HP: tulis dengan kode negara (+44 7700 900123), atau nomor Indonesia seperti 0812 3456 7890.",
                "That is not a phone number: write it with its country code (+44 7700 900123), or an Indonesian number like 0812 3456 7890."),
            "invalid_email" => l.T("Ini bukan alamat email.", "That does not look like an email address."),
            _ => l.T("Periksa isian ini.", "Please check this field."),
        };
    }
}
