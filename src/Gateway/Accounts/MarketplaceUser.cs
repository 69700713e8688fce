using Microsoft.AspNetCore.Identity;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Gateway.Accounts;

/// <summary>
/// An account. A member belongs to exactly one cooperative (<see cref="MemberCooperativeId"/>); the cooperatives
/// an account administers are kept as <c>coop</c> claims, so one admin may run several.
/// </summary>
public sealed class MarketplaceUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = string.Empty;

    public Guid? MemberId { get; private set; }

    public Guid? MemberCooperativeId { get; private set; }

    public DateTimeOffset CreatedAt { get; set; }

    public static MarketplaceUser Create(string displayName, string? email, string? phone, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        DisplayName = displayName,
        Email = email,
        PhoneNumber = phone,
        // Identity needs a unique user name; the sign-in name people type is their email or phone.
        UserName = email ?? phone,
        CreatedAt = now,
    };

    /// <summary>Makes this account a member of a cooperative, under a member id Catalog will know her by.</summary>
    public Guid JoinAsMember(Guid cooperativeId)
    {
        if (MemberId is not null)
        {
            throw new ConflictException("This account is already a member of a cooperative.", "already_member");
        }

        MemberId = Guid.CreateVersion7();
        MemberCooperativeId = cooperativeId;
        return MemberId.Value;
    }
}
