using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Gateway.Accounts;

internal sealed class MarketplaceUserConfiguration : IEntityTypeConfiguration<MarketplaceUser>
{
    public void Configure(EntityTypeBuilder<MarketplaceUser> builder)
    {
        builder.ToTable("users");
        builder.Property(u => u.DisplayName).HasMaxLength(100);
        builder.Property(u => u.PhoneNumber).HasMaxLength(20);
        // Phone numbers sign people in, so one number belongs to one account.
        builder.HasIndex(u => u.PhoneNumber).IsUnique().HasFilter("phone_number IS NOT NULL");
        builder.HasIndex(u => u.NormalizedEmail).IsUnique().HasFilter("normalized_email IS NOT NULL");
        builder.HasIndex(u => u.MemberId).IsUnique().HasFilter("member_id IS NOT NULL");
    }
}

/// <summary>Identity's tables under short names in the gateway schema.</summary>
internal static class IdentityTableNames
{
    public static void Apply(ModelBuilder builder)
    {
        builder.Entity<IdentityRole<Guid>>().ToTable("roles");
        builder.Entity<IdentityUserRole<Guid>>().ToTable("user_roles");
        builder.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");
        builder.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims");
        // The roles are part of the schema, so every replica and every fresh database has them.
        builder.Entity<IdentityRole<Guid>>().HasData(
            Role("0195f1d2-0000-7000-8000-000000000001", MarketplaceRoles.Shopper),
            Role("0195f1d2-0000-7000-8000-000000000002", MarketplaceRoles.Member),
            Role("0195f1d2-0000-7000-8000-000000000003", MarketplaceRoles.CooperativeAdmin),
            Role("0195f1d2-0000-7000-8000-000000000004", MarketplaceRoles.PlatformAdmin),
            Role("0195f1d2-0000-7000-8000-000000000005", MarketplaceRoles.KioskClerk));
    }

    private static IdentityRole<Guid> Role(string id, string name) => new()
    {
        Id = Guid.Parse(id),
        Name = name,
        NormalizedName = name.ToUpperInvariant(),
        ConcurrencyStamp = id,
    };
}
