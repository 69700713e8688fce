using System.Text.Json;
using Marketplace.Web;
using Marketplace.Web.Api;

namespace Marketplace.IntegrationTests.Web;

/// <summary>The schema.org data of a product page, as search engines and chat previews read it.</summary>
public sealed class ProductStructuredDataTests
{
    private static readonly Uri Page = new("https://oleh-oleh.example/produk/0196e0a0-0000-7000-8000-000000000001/kerupuk-ikan");

    private static readonly Cooperative Seller = new(
        Guid.NewGuid(), "koperasi-binor", "Koperasi Wanita Binor", null, null, null, "Asia/Jakarta", [], 10m, new Dictionary<string, decimal>(), CooperativeStatus.Active);

    [Fact]
    public void One_size_is_an_offer_in_rupiah_sold_by_the_cooperative_with_no_rating_without_reviews()
    {
        var data = Parse(ProductStructuredData.Build(Product(Size("250 g", 25_000, available: 3)), "Kerupuk Ikan", "Renyah.", Page, Seller));

        Assert.Equal("https://schema.org", data.GetProperty("@context").GetString());
        Assert.Equal("Product", data.GetProperty("@type").GetString());
        Assert.Equal("Kerupuk Ikan", data.GetProperty("name").GetString());
        Assert.Equal("https://oleh-oleh.example/api/catalog/images/abc.jpg", data.GetProperty("image")[0].GetString());
        Assert.Equal("Kerupuk Bu Siti", data.GetProperty("brand").GetProperty("name").GetString());
        Assert.Equal("https://oleh-oleh.example/pembuat/bu-siti", data.GetProperty("manufacturer").GetProperty("url").GetString());
        var offer = data.GetProperty("offers");
        Assert.Equal("Offer", offer.GetProperty("@type").GetString());
        Assert.Equal(25_000, offer.GetProperty("price").GetInt64());
        Assert.Equal("IDR", offer.GetProperty("priceCurrency").GetString());
        Assert.Equal("https://schema.org/InStock", offer.GetProperty("availability").GetString());
        Assert.Equal(Page.ToString(), offer.GetProperty("url").GetString());
        Assert.Equal("Organization", offer.GetProperty("seller").GetProperty("@type").GetString());
        Assert.Equal("Koperasi Wanita Binor", offer.GetProperty("seller").GetProperty("name").GetString());
        Assert.False(data.TryGetProperty("aggregateRating", out _));
    }

    [Fact]
    public void Several_sizes_are_an_aggregate_offer_from_the_lowest_to_the_highest_price()
    {
        var data = Parse(ProductStructuredData.Build(
            Product(Size("250 g", 25_000, available: 0), Size("500 g", 45_000, available: 2), Size("1 kg", 80_000, available: 0, active: false)),
            "Kerupuk Ikan", "Renyah.", Page, Seller));

        var offers = data.GetProperty("offers");
        Assert.Equal("AggregateOffer", offers.GetProperty("@type").GetString());
        Assert.Equal(25_000, offers.GetProperty("lowPrice").GetInt64());
        Assert.Equal(45_000, offers.GetProperty("highPrice").GetInt64());
        Assert.Equal(2, offers.GetProperty("offerCount").GetInt32());
        Assert.Equal("IDR", offers.GetProperty("priceCurrency").GetString());
        Assert.Equal("https://schema.org/InStock", offers.GetProperty("availability").GetString());
        Assert.Equal(new[] { "https://schema.org/OutOfStock", "https://schema.org/InStock" },
            offers.GetProperty("offers").EnumerateArray().Select(o => o.GetProperty("availability").GetString() ?? string.Empty).ToArray());
    }

    [Fact]
    public void Approved_reviews_give_an_aggregate_rating()
    {
        var data = Parse(ProductStructuredData.Build(Product(Size("250 g", 25_000, available: 3)), "Kerupuk Ikan", "Renyah.", Page, Seller,
            new ProductStructuredData.Rating(4.666m, 3)));

        var rating = data.GetProperty("aggregateRating");
        Assert.Equal("AggregateRating", rating.GetProperty("@type").GetString());
        Assert.Equal(4.7m, rating.GetProperty("ratingValue").GetDecimal());
        Assert.Equal(3, rating.GetProperty("reviewCount").GetInt32());
    }

    [Fact]
    public void A_rating_of_no_reviews_is_no_rating() =>
        Assert.False(Parse(ProductStructuredData.Build(Product(Size("250 g", 25_000, available: 3)), "Kerupuk", "Renyah.", Page, Seller,
            new ProductStructuredData.Rating(0m, 0))).TryGetProperty("aggregateRating", out _));

    [Fact]
    public void A_description_cannot_close_the_script_it_is_written_in()
    {
        const string hostile = "Enak </script><script>alert(1)</script> & <b>renyah</b>";
        var json = StructuredData.Write(ProductStructuredData.Build(Product(Size("250 g", 25_000, available: 3)), "Kerupuk", hostile, Page, Seller));

        Assert.DoesNotContain("</", json, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", json, StringComparison.OrdinalIgnoreCase);
        // Escaped, not lost: the data still says what the maker wrote.
        Assert.Equal(hostile, JsonDocument.Parse(json).RootElement.GetProperty("description").GetString());
    }

    private static JsonElement Parse(System.Text.Json.Nodes.JsonObject data) => JsonDocument.Parse(StructuredData.Write(data)).RootElement;

    private static Variant Size(string label, long price, int available, bool active = true) =>
        new(Guid.NewGuid(), "SKU-" + label.Replace(" ", "", StringComparison.Ordinal), label, price, 300, available, active);

    private static Product Product(params Variant[] sizes) => new(
        Guid.NewGuid(),
        Seller.Id,
        "kerupuk",
        new Listing("Kerupuk Ikan", null, "Renyah.", null, null, null, null, null, null, null, null, null, null, null, null),
        new Maker(Guid.NewGuid(), "Bu Siti", "Kerupuk Bu Siti", "Desa Binor", Slug: "bu-siti"),
        sizes,
        [new ProductImage(Guid.NewGuid(), ImageStatus.Ready, new Dictionary<string, string> { ["640.jpg"] = "/api/catalog/images/abc.jpg" }, 640, 640, null)],
        new Compliance(true, false, []),
        DateTimeOffset.UtcNow);
}
