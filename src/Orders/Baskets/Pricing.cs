using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Baskets;

/// <summary>A basket line as it stands now: today's name, price and weight, and whether it can be bought.</summary>
public sealed record PricedLine(
    Guid ProductId,
    Guid VariantId,
    Guid MemberId,
    string Category,
    string Name,
    string? NameEn,
    string VariantLabel,
    string? ImageUrl,
    int Quantity,
    long UnitPriceRupiah,
    int WeightGrams,
    bool Available)
{
    public long LineTotalRupiah => UnitPriceRupiah * Quantity;
}

public static class Pricing
{
    /// <summary>Prices lines from Orders' own copy of what is on sale: never from the client, never by calling Catalog.</summary>
    public static async Task<List<PricedLine>> PriceAsync(OrdersDbContext db, Guid cooperativeId, IReadOnlyList<BasketLine> lines, CancellationToken cancellationToken)
    {
        var productIds = lines.Select(l => l.ProductId).Distinct().ToList();
        var sellables = await db.Sellables.AsNoTracking()
            .Where(s => productIds.Contains(s.ProductId))
            .ToDictionaryAsync(s => s.ProductId, cancellationToken);
        var priced = new List<PricedLine>(lines.Count);
        foreach (var line in lines)
        {
            var sellable = sellables.GetValueOrDefault(line.ProductId);
            var variant = sellable?.Variants.FirstOrDefault(v => v.VariantId == line.VariantId);
            if (sellable is null || variant is null)
            {
                priced.Add(new PricedLine(line.ProductId, line.VariantId, Guid.Empty, string.Empty, "(no longer sold)", null, string.Empty, null, line.Quantity, 0, 0, false));
                continue;
            }

            var available = sellable.OnSale && variant.Active && sellable.CooperativeId == cooperativeId;
            priced.Add(new PricedLine(sellable.ProductId, variant.VariantId, sellable.MemberId, sellable.Category, sellable.NameId, sellable.NameEn, variant.Label,
                sellable.ImageUrl, line.Quantity, variant.PriceRupiah, variant.WeightGrams, available));
        }

        return priced;
    }
}
