using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Settlement.Payouts;

internal sealed class PayoutAccountChangeConfiguration : IEntityTypeConfiguration<PayoutAccountChange>
{
    public void Configure(EntityTypeBuilder<PayoutAccountChange> builder)
    {
        builder.ToTable("payout_account_changes");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.BankCode).HasMaxLength(3);
        builder.Property(c => c.BankName).HasMaxLength(60);
        builder.Property(c => c.AccountNumber).HasMaxLength(40);
        builder.Property(c => c.AccountName).HasMaxLength(100);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(c => c.RejectionReason).HasMaxLength(200);
        builder.HasIndex(c => new { c.CooperativeId, c.Status });
        builder.HasIndex(c => new { c.MemberId, c.ProposedAt });
        // At most one proposal waits per member: two admins proposing at once cannot both be pending.
        builder.HasIndex(c => c.MemberId).IsUnique().HasFilter("status = 'Pending'").HasDatabaseName("ix_payout_account_changes_one_pending");
    }
}
