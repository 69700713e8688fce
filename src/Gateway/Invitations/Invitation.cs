using System.Security.Cryptography;
using System.Text;
using Marketplace.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Gateway.Invitations;

public enum InvitationKind
{
    Member,
    Admin,

    /// <summary>A kiosk clerk (kasir): sells at the counter and keeps the till of this one cooperative.</summary>
    Clerk,
}

/// <summary>Where an invitation stands; derived from its dates, never stored.</summary>
public enum InvitationStatus
{
    Open,
    Accepted,
    Expired,
    Revoked,
}

/// <summary>
/// A one-time invitation into a cooperative. Only a hash of its code is stored: a leaked database does not
/// hand out memberships.
/// </summary>
public sealed class Invitation
{
    private Invitation()
    {
    }

    public Guid Id { get; private set; }

    public Guid CooperativeId { get; private set; }

    public InvitationKind Kind { get; private set; }

    public string CodeHash { get; private set; } = string.Empty;

    /// <summary>The name the admin knows her by, offered as the default on the registration form.</summary>
    public string? InviteeName { get; private set; }

    public Guid InvitedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? AcceptedAt { get; private set; }

    public Guid? AcceptedBy { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public static (Invitation Invitation, string Code) Issue(
        Guid cooperativeId, InvitationKind kind, string? inviteeName, Guid invitedBy, DateTimeOffset now, TimeSpan validFor)
    {
        var code = InvitationCode.New();
        var invitation = new Invitation
        {
            Id = Guid.CreateVersion7(),
            CooperativeId = cooperativeId,
            Kind = kind,
            CodeHash = InvitationCode.Hash(code),
            InviteeName = string.IsNullOrWhiteSpace(inviteeName) ? null : inviteeName.Trim(),
            InvitedBy = invitedBy,
            CreatedAt = now,
            ExpiresAt = now + validFor,
        };
        return (invitation, code);
    }

    public InvitationStatus StatusAt(DateTimeOffset now) =>
        RevokedAt is not null ? InvitationStatus.Revoked
        : AcceptedAt is not null ? InvitationStatus.Accepted
        : ExpiresAt <= now ? InvitationStatus.Expired
        : InvitationStatus.Open;
}

/// <summary>
/// Codes are 12 characters of Crockford base32 (60 bits), grouped for reading aloud or typing from a WhatsApp
/// message: guessing one is hopeless under the Gateway's rate limits.
/// </summary>
public static class InvitationCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New()
    {
        var chars = new char[12];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return $"{new string(chars, 0, 4)}-{new string(chars, 4, 4)}-{new string(chars, 8, 4)}";
    }

    /// <summary>Case, spaces and dashes do not matter; the letters people confuse with digits are read as digits.</summary>
    public static string Normalize(string code)
    {
        var builder = new StringBuilder(12);
        foreach (var c in (code ?? string.Empty).ToUpperInvariant())
        {
            var mapped = c switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                _ => c,
            };
            if (Alphabet.Contains(mapped, StringComparison.Ordinal))
            {
                builder.Append(mapped);
            }
        }

        return builder.ToString();
    }

    public static string Hash(string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(Normalize(code))));
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.ToTable("invitations");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(i => i.CodeHash).HasMaxLength(64);
        builder.HasIndex(i => i.CodeHash).IsUnique();
        builder.Property(i => i.InviteeName).HasMaxLength(100);
        builder.HasIndex(i => new { i.CooperativeId, i.CreatedAt });
    }
}
