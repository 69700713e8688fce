using Marketplace.Orders.Settlement.Cooperatives;
using Marketplace.Orders.Settlement.Costs;
using Marketplace.Orders.Settlement.Ledger;
using Marketplace.Orders.Settlement.Payouts;
using Marketplace.Orders.Settlement.Tills;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Settlement.Data;

/// <summary>
/// Settlement's own books, in their own schema: it learns of sales only from Orders' messages and tells of payouts
/// only through its own outbox, so it could become a service of its own without changing a contract.
/// </summary>
public sealed class SettlementDbContext(DbContextOptions<SettlementDbContext> options) : DbContext(options)
{
    public const string Schema = "settlement";

    public DbSet<JournalEntry> JournalEntries => Set<JournalEntry>();

    public DbSet<JournalLine> JournalLines => Set<JournalLine>();

    public DbSet<SaleLine> SaleLines => Set<SaleLine>();

    public DbSet<PayoutBatch> PayoutBatches => Set<PayoutBatch>();

    public DbSet<PayoutLine> PayoutLines => Set<PayoutLine>();

    public DbSet<PayoutAccount> PayoutAccounts => Set<PayoutAccount>();

    public DbSet<PayoutAccountChange> PayoutAccountChanges => Set<PayoutAccountChange>();

    public DbSet<PayoutWaiting> PayoutWaiting => Set<PayoutWaiting>();

    public DbSet<SettlementMember> Members => Set<SettlementMember>();

    public DbSet<SettlementCooperative> Cooperatives => Set<SettlementCooperative>();

    public DbSet<CooperativeSettings> CooperativeSettings => Set<CooperativeSettings>();

    public DbSet<GoodsCost> GoodsCosts => Set<GoodsCost>();

    public DbSet<OtherCost> OtherCosts => Set<OtherCost>();

    public DbSet<TillDifferencePosted> TillDifferences => Set<TillDifferencePosted>();

    public DbSet<StripePayouts.StripePayoutReconciliation> StripePayouts => Set<StripePayouts.StripePayoutReconciliation>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SettlementDbContext).Assembly, t => t.Namespace?.StartsWith("Marketplace.Orders.Settlement", StringComparison.Ordinal) == true);
        // Its consumers apply each message once (the inbox); what its payouts tell members and admins leaves through
        // its own outbox, in the transaction that moves the money.
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.AddAuditTrail();
    }
}
