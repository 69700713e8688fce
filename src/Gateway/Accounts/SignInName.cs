using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Formatting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Gateway.Accounts;

/// <summary>People sign in with the email or the phone number they registered with.</summary>
public static class SignInName
{
    public static bool LooksLikeEmail(string login) => login.Contains('@', StringComparison.Ordinal);

    public static string? NormalizeEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var trimmed = email.Trim();
        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != trimmed.LastIndexOf('@') || at == trimmed.Length - 1 || trimmed.Length > 254 || trimmed.Any(char.IsWhiteSpace))
        {
            throw new DomainException("That does not look like an email address.", "invalid_email");
        }

        return trimmed;
    }

    /// <summary>One key per account however its name is typed: "0812 ..." and "+62812..." are the same phone.</summary>
    public static string Key(string? login)
    {
        var trimmed = (login ?? string.Empty).Trim();
        if (trimmed.Length == 0 || LooksLikeEmail(trimmed))
        {
            return trimmed.ToUpperInvariant();
        }

        try
        {
            return WhatsAppNumber.Normalize(trimmed);
        }
        catch (DomainException)
        {
            return trimmed.ToUpperInvariant();
        }
    }

    private static readonly MarketplaceUser Nobody = new() { UserName = "nobody" };
    private static readonly string NobodysHash = new PasswordHasher<MarketplaceUser>().HashPassword(Nobody, "no password matches this");

    /// <summary>An unknown login costs the same time as a wrong password, so timing does not tell who is registered.</summary>
    public static void SpendAsLongAsAPasswordCheck(UserManager<MarketplaceUser> users, string? password)
    {
        ArgumentNullException.ThrowIfNull(users);
        users.PasswordHasher.VerifyHashedPassword(Nobody, NobodysHash, password ?? string.Empty);
    }

    public static async Task<MarketplaceUser?> FindAsync(UserManager<MarketplaceUser> users, string? login, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(login))
        {
            return null;
        }

        login = login.Trim();
        if (LooksLikeEmail(login))
        {
            return await users.FindByEmailAsync(login);
        }

        string? phone;
        try
        {
            phone = WhatsAppNumber.Normalize(login);
        }
        catch (DomainException)
        {
            // Registered before numbers were checked against the numbering plan: stored as +62 and its digits.
            phone = EarlierIndonesianSpelling(login);
        }

        return phone is null ? null : await users.Users.FirstOrDefaultAsync(u => u.PhoneNumber == phone, cancellationToken);
    }

    private static string? EarlierIndonesianSpelling(string login)
    {
        var digits = string.Concat(login.Where(char.IsAsciiDigit));
        digits = digits.StartsWith('0') ? "62" + digits[1..] : digits.StartsWith('8') ? "62" + digits : digits;
        return digits.StartsWith("628", StringComparison.Ordinal) && digits.Length is >= 10 and <= 14 ? "+" + digits : null;
    }
}
