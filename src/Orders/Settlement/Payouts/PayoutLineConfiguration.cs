using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Settlement.Payouts;

internal sealed class PayoutLineConfiguration : IEntityTypeConfiguration<PayoutLine>
{
    public void Configure(EntityTypeBuilder<PayoutLine> builder)
    {
        builder.ToTable("payout_lines");
        builder.HasKey(l => new { l.BatchId, l.MemberId });
        builder.Property(l => l.Status).HasConversion<string>().HasMaxLength(10);
        // Stored as it always was, "bank" or "cash": the enum changed the code, not the rows.
        builder.Property(l => l.Method).HasMaxLength(10).HasConversion(
            m => m == PayoutMethod.Bank ? "bank" : "cash",
            s => s == "bank" ? PayoutMethod.Bank : PayoutMethod.Cash);
        builder.Property(l => l.BankCode).HasMaxLength(3);
        builder.Property(l => l.Bank).HasMaxLength(60);
        builder.Property(l => l.AccountNumber).HasMaxLength(40);
        builder.Property(l => l.AccountName).HasMaxLength(100);
        builder.Property(l => l.Reference).HasMaxLength(100);
    }
}
