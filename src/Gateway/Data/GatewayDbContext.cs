using Marketplace.Gateway.Accounts;
using Marketplace.Gateway.Cooperatives;
using Marketplace.Gateway.DeadLetters;
using Marketplace.Gateway.ExchangeRates;
using Marketplace.Gateway.Invitations;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace Marketplace.Gateway.Data;

/// <summary>
/// The Gateway's own database: accounts (ASP.NET Core Identity), issued tokens (OpenIddict), invitations,
/// the data-protection keys every replica shares, and its outbox and inbox.
/// </summary>
public sealed class GatewayDbContext(DbContextOptions<GatewayDbContext> options)
    : IdentityDbContext<MarketplaceUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    public const string Schema = "gateway";

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<KnownCooperative> Cooperatives => Set<KnownCooperative>();

    public DbSet<DeadLetter> DeadLetters => Set<DeadLetter>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<ExchangeRate> ExchangeRates => Set<ExchangeRate>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDefaultSchema(Schema);
        IdentityTableNames.Apply(builder);
        builder.UseOpenIddict<Guid>();
        builder.Entity<OpenIddictEntityFrameworkCoreApplication<Guid>>().ToTable("openiddict_applications");
        builder.Entity<OpenIddictEntityFrameworkCoreAuthorization<Guid>>().ToTable("openiddict_authorizations");
        builder.Entity<OpenIddictEntityFrameworkCoreScope<Guid>>().ToTable("openiddict_scopes");
        builder.Entity<OpenIddictEntityFrameworkCoreToken<Guid>>().ToTable("openiddict_tokens");
        builder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        builder.ApplyConfigurationsFromAssembly(typeof(GatewayDbContext).Assembly);
        builder.AddOutboxAndInbox();
        builder.AddAuditTrail();
    }
}
