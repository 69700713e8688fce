using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Notifications.Shoppers;

/// <summary>
/// An order's shopper as <c>OrderConfirmed</c> named her: the later order events carry only the order's id, and are
/// told to her through this.
/// </summary>
public sealed class ShopperOrder
{
    private ShopperOrder()
    {
    }

    public Guid OrderId { get; private set; }

    public Guid CooperativeId { get; private set; }

    public string PickupCode { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    /// <summary>E.164; never written to a log.</summary>
    public string WhatsApp { get; private set; } = string.Empty;

    public string Language { get; private set; } = "id";

    /// <summary>Her email as typed at checkout, for when she chose email for her messages.</summary>
    public string? Email { get; private set; }

    /// <summary>Her account, when she ordered signed in.</summary>
    public Guid? UserId { get; private set; }

    public static ShopperOrder From(Contracts.Orders.OrderConfirmed confirmed)
    {
        ArgumentNullException.ThrowIfNull(confirmed);
        return new ShopperOrder
        {
            OrderId = confirmed.OrderId,
            CooperativeId = confirmed.CooperativeId,
            PickupCode = confirmed.PickupCode,
            Name = confirmed.Shopper.Name,
            WhatsApp = confirmed.Shopper.WhatsApp,
            Language = confirmed.Shopper.Language == "en" ? "en" : "id",
            Email = string.IsNullOrWhiteSpace(confirmed.Shopper.Email) ? null : confirmed.Shopper.Email.Trim(),
            UserId = confirmed.ShopperUserId,
        };
    }
}

internal sealed class ShopperOrderConfiguration : IEntityTypeConfiguration<ShopperOrder>
{
    public void Configure(EntityTypeBuilder<ShopperOrder> builder)
    {
        builder.ToTable("shopper_orders");
        builder.HasKey(o => o.OrderId);
        builder.Property(o => o.OrderId).ValueGeneratedNever();
        builder.Property(o => o.PickupCode).HasMaxLength(6);
        builder.Property(o => o.Name).HasMaxLength(100);
        builder.Property(o => o.WhatsApp).HasMaxLength(20);
        builder.Property(o => o.Language).HasMaxLength(2);
        builder.Property(o => o.Email).HasMaxLength(256);
    }
}
