using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Lifecycle;

/// <summary>A Stripe event already handled: a repeat of it is answered without asking Stripe again.</summary>
public sealed class ProcessedStripeEvent
{
    public string EventId { get; init; } = string.Empty;

    public string Type { get; init; } = string.Empty;

    public DateTimeOffset ReceivedAt { get; init; }
}

internal sealed class ProcessedStripeEventConfiguration : IEntityTypeConfiguration<ProcessedStripeEvent>
{
    public void Configure(EntityTypeBuilder<ProcessedStripeEvent> builder)
    {
        builder.ToTable("processed_stripe_events");
        builder.HasKey(e => e.EventId);
        builder.Property(e => e.EventId).HasMaxLength(100);
        builder.Property(e => e.Type).HasMaxLength(100);
    }
}
