namespace Marketplace.Gateway.Accounts;

/// <summary>Bound from the <c>Accounts</c> section.</summary>
public sealed class AccountOptions
{
    public const string SectionName = "Accounts";

    /// <summary>The address people reach the marketplace at, for links in messages (invitations, password reset).</summary>
    public Uri PublicBaseUrl { get; set; } = new("http://localhost:8080");

    /// <summary>How long a browser session may go on after "sign out everywhere" or a password reset elsewhere.</summary>
    public TimeSpan SessionRevalidationInterval { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan PasswordResetLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>The platform admin account ensured at start-up, when both are set (its password from a secret).</summary>
    public string? PlatformAdminEmail { get; set; }

    public string? PlatformAdminPassword { get; set; }
}
