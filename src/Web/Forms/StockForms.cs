using Marketplace.Web.Api;
using Marketplace.Web.Localization;

namespace Marketplace.Web.Forms;

/// <summary>A size's low-stock level as typed on its card; empty means none.</summary>
public sealed class ThresholdForm
{
    public int? Level { get; set; }

    public async Task<Problem?> SaveAsync(CatalogApi catalog, Guid productId, Guid variantId, Lang l)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var result = await catalog.PutAsync($"/api/catalog/products/{productId}/variants/{variantId}/low-stock", new { threshold = Level });
        return result.Problem is null ? null : StockWords.Localized(l, result.Problem);
    }
}

/// <summary>Stock on the shelf set by hand, with the reason the card records.</summary>
public sealed class StockForm
{
    public int? OnHand { get; set; }

    public string? Reason { get; set; }

    public async Task<Problem?> SaveAsync(CatalogApi catalog, Guid productId, Guid variantId, Lang l)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(l);
        if (OnHand is not { } onHand)
        {
            // An empty field is not 0: the shelf would be emptied by a slip of the thumb.
            return new Problem(400, "Invalid", null, null, new Dictionary<string, string[]> { ["onHand"] = [StockWords.Rule(l, "invalid_stock")!] });
        }

        var result = await catalog.PutAsync($"/api/catalog/products/{productId}/variants/{variantId}/stock", new { onHand, reason = Reason });
        return result.Problem is null ? null : StockWords.Localized(l, result.Problem);
    }
}
