using Marketplace.Web.Localization;

namespace Marketplace.Web.Components.Account;

/// <summary>The Gateway's account forms send back an error code; the page says it in the shopper's language.</summary>
public static class AccountErrors
{
    public static string Text(Lang l, string code) => code switch
    {
        "invalid_credentials" => l.T("Email/nomor HP atau kata sandi salah.", "The email/phone number or password is wrong."),
        "too_many_attempts" or "rate_limited" => l.T("Terlalu banyak percobaan. Tunggu sebentar.", "Too many attempts. Please wait a moment."),
        "email_taken" => l.T("Email ini sudah terdaftar. Masuk, atau atur ulang kata sandinya.", "This email is registered already. Sign in, or reset its password."),
        "phone_taken" => l.T("Nomor ini sudah terdaftar. Masuk, atau atur ulang kata sandinya.", "This number is registered already. Sign in, or reset its password."),
        "invitation_unusable" => l.T("Kode undangan tidak dikenal, sudah dipakai, dicabut atau kedaluwarsa. Minta kode baru ke koperasi.",
            "The invitation code is unknown, used, withdrawn or expired. Ask the cooperative for a new one."),
        "invalid:token" => l.T("Tautan ini tidak berlaku atau sudah kedaluwarsa. Minta tautan baru.", "This link is invalid or has expired. Ask for a new one."),
        "invalid_whatsapp" => l.T("Nomor HP seperti 0812 3456 7890, atau dengan kode negara seperti +44 7700 900123.",
            "A phone number with its country code, e.g. +44 7700 900123, or like 0812 3456 7890 in Indonesia."),
        _ when code.StartsWith("invalid:", StringComparison.Ordinal) => l.T("Periksa: ", "Please check: ") + string.Join(", ", code[8..].Split(',').Select(f => Field(l, f))),
        _ => l.T("Tidak berhasil. Coba lagi.", "That did not work. Please try again."),
    };

    /// <summary>Whether the error names this field (for aria-invalid).</summary>
    public static string? Names(string? code, string field) =>
        code is not null && code.StartsWith("invalid:", StringComparison.Ordinal) && code[8..].Split(',').Contains(field, StringComparer.OrdinalIgnoreCase) ? "true" : null;

    private static string Field(Lang l, string field) => field switch
    {
        "displayName" => l.T("nama", "name"),
        "email" => l.T("email atau nomor HP", "email or phone number"),
        "password" => l.T("kata sandi (minimal 8 karakter, paling sedikit 4 karakter berbeda)", "password (at least 8 characters, at least 4 of them different)"),
        _ => field,
    };
}
