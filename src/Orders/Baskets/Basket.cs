using Marketplace.ServiceDefaults.Data;
using Marketplace.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Baskets;

public sealed record BasketLine(Guid ProductId, Guid VariantId, int Quantity);

/// <summary>
/// What one shopper (signed in, or a guest known by a cookie) means to buy from one cooperative. Only ids and
/// quantities: prices and availability are looked up each time, so the basket never shows a stale price.
/// </summary>
public sealed class Basket
{
    public const int MaxLines = 50;
    public const int MaxQuantity = 99;

    private Basket()
    {
    }

    public Guid Id { get; private set; }

    /// <summary><c>user:{id}</c> or <c>guest:{id}</c>.</summary>
    public string Owner { get; private set; } = string.Empty;

    public Guid CooperativeId { get; private set; }

    public List<BasketLine> Lines { get; private set; } = [];

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>PostgreSQL's row version: a double-clicked checkout of one basket places one order.</summary>
    public uint Version { get; private set; }

    /// <summary>When a guest's basket was opened, and from which client address (<see cref="GuestBasketLimit"/>); null for an account's.</summary>
    public DateTimeOffset? OpenedAt { get; private set; }

    public string? ClientAddress { get; private set; }

    public static Basket Open(string owner, Guid cooperativeId, DateTimeOffset now, string? guestClientAddress = null) =>
        new()
        {
            Id = Guid.CreateVersion7(), Owner = owner, CooperativeId = cooperativeId, UpdatedAt = now,
            OpenedAt = guestClientAddress is null ? null : now, ClientAddress = guestClientAddress,
        };

    /// <summary>Sets a line's quantity; zero removes it.</summary>
    public void Set(Guid productId, Guid variantId, int quantity, DateTimeOffset now)
    {
        if (quantity is < 0 or > MaxQuantity)
        {
            throw new DomainException($"A quantity is 0 to {MaxQuantity}.", "invalid_quantity");
        }

        var lines = Lines.Where(l => l.VariantId != variantId).ToList();
        if (quantity > 0)
        {
            if (lines.Count >= MaxLines)
            {
                throw new DomainException($"A basket holds at most {MaxLines} different items.", "basket_full");
            }

            lines.Add(new BasketLine(productId, variantId, quantity));
        }

        Lines = lines;
        UpdatedAt = now;
    }

    /// <summary>A guest's basket joins her account's when she signs in: quantities of the same item add up.</summary>
    public void Absorb(Basket guest, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(guest);
        foreach (var line in guest.Lines)
        {
            var existing = Lines.FirstOrDefault(l => l.VariantId == line.VariantId)?.Quantity;
            // A merge is never refused: past the limits, the account's basket keeps what it can hold.
            if (existing is null && Lines.Count >= MaxLines)
            {
                continue;
            }

            Set(line.ProductId, line.VariantId, Math.Min(MaxQuantity, (existing ?? 0) + line.Quantity), now);
        }
    }

    public void Empty(DateTimeOffset now)
    {
        Lines = [];
        UpdatedAt = now;
    }
}

internal sealed class BasketConfiguration : IEntityTypeConfiguration<Basket>
{
    public void Configure(EntityTypeBuilder<Basket> builder)
    {
        builder.ToTable("baskets");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Owner).HasMaxLength(60);
        builder.HasIndex(b => new { b.Owner, b.CooperativeId }).IsUnique();
        builder.Property(b => b.Lines).HasJsonConversion();
        builder.Property(b => b.Version).IsRowVersion();
        // The hourly sweep finds guest baskets past their lifetime through this alone.
        builder.HasIndex(b => b.UpdatedAt).HasFilter("owner LIKE 'guest:%'").HasDatabaseName("ix_baskets_guest_updated_at");
        builder.Property(b => b.ClientAddress).HasMaxLength(45);
        // Guest baskets opened from one address lately are counted at each new one (GuestBasketLimit).
        builder.HasIndex(b => new { b.ClientAddress, b.OpenedAt }).HasFilter("client_address IS NOT NULL").HasDatabaseName("ix_baskets_guest_opened_by_client");
    }
}
