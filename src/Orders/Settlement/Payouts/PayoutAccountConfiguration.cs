using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Settlement.Payouts;

internal sealed class PayoutAccountConfiguration : IEntityTypeConfiguration<PayoutAccount>
{
    public void Configure(EntityTypeBuilder<PayoutAccount> builder)
    {
        builder.ToTable("payout_accounts");
        builder.HasKey(a => a.MemberId);
        builder.Property(a => a.BankCode).HasMaxLength(3);
        builder.Property(a => a.Bank).HasMaxLength(60);
        builder.Property(a => a.AccountNumber).HasMaxLength(40);
        builder.Property(a => a.AccountName).HasMaxLength(100);
        builder.HasIndex(a => a.CooperativeId);
    }
}
