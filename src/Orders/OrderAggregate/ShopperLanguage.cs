namespace Marketplace.Orders.OrderAggregate;

/// <summary>The languages a shopper reads the marketplace in: Bahasa Indonesia unless she chose English.</summary>
public static class ShopperLanguage
{
    public const string Indonesian = "id";
    public const string English = "en";

    public static string Of(string? code) => string.Equals(code?.Trim(), English, StringComparison.OrdinalIgnoreCase) ? English : Indonesian;
}
