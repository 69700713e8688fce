using Marketplace.Web.Api;
using Marketplace.Web.Localization;

namespace Marketplace.Web.Components.Storefront;

/// <summary>Orders names the rule a basket change broke; the page says it in the shopper's language.</summary>
public static class BasketErrors
{
    public static string Text(Lang l, Problem problem)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(problem);
        return problem.Code switch
        {
            "invalid_quantity" => l.T("Jumlah 1 sampai 99.", "A quantity is 1 to 99."),
            "basket_full" => l.T("Keranjang ini sudah penuh (50 barang berbeda).", "This basket is full (50 different items)."),
            "wrong_cooperative" => l.T("Produk ini milik keranjang koperasi lain.", "This product belongs to another cooperative's basket."),
            "not_found" => l.T("Produk ini tidak dijual lagi.", "This product is no longer on sale."),
            "unavailable" => l.T("Layanan sedang tidak bisa dihubungi. Coba lagi.", "The service cannot be reached. Please try again."),
            _ => Refusals.Text(l, problem),
        };
    }
}
