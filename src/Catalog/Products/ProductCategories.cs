namespace Marketplace.Catalog.Products;

/// <summary>The product categories of a Pantai Binor cooperative, and which of them are food.</summary>
public static class ProductCategories
{
    public const string Crackers = "kerupuk";
    public const string Snacks = "camilan";
    public const string DriedSeafood = "hasil-laut-kering";
    public const string Drinks = "minuman";
    public const string Crafts = "kerajinan";
    public const string Batik = "batik";
    public const string Other = "lainnya";

    private static readonly Dictionary<string, (string Indonesian, string English, bool Food)> All = new(StringComparer.Ordinal)
    {
        [Crackers] = ("Kerupuk", "Crackers", true),
        [Snacks] = ("Camilan olahan", "Processed snacks", true),
        [DriedSeafood] = ("Hasil laut kering", "Dried seafood", true),
        [Drinks] = ("Minuman", "Drinks", true),
        [Crafts] = ("Kerajinan", "Crafts", false),
        [Batik] = ("Batik", "Batik", false),
        [Other] = ("Lainnya", "Other", false),
    };

    public static IReadOnlyCollection<string> Codes => All.Keys;

    public static bool IsKnown(string? code) => code is not null && All.ContainsKey(code);

    /// <summary>Packaged food needs a permit (P-IRT or BPOM MD/ML) and, by law, a halal certificate.</summary>
    public static bool IsFood(string code) => All.TryGetValue(code, out var c) && c.Food;

    public static string NameOf(string code, bool english) =>
        All.TryGetValue(code, out var c) ? (english ? c.English : c.Indonesian) : code;
}
