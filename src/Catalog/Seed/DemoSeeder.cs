using Marketplace.Catalog.Cooperatives;
using Marketplace.Catalog.Data;
using Marketplace.Catalog.Images;
using Marketplace.Catalog.Members;
using Marketplace.Catalog.Products;
using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Seed;

/// <summary>
/// The local run's living store: one cooperative at Pantai Binor, its members, and about thirty of their
/// products on sale with photos. Runs once (it looks for the cooperative first) and goes through the same
/// domain rules and outbox as real requests, so Orders learns of everything too.
/// </summary>
public static class DemoSeeder
{
    public const string Slug = "koperasi-wanita-pantai-binor";

    /// <summary>Fixed ids, so the Gateway's demo accounts can name these members.</summary>
    public static readonly Guid CooperativeMemberIdBase = new("0b1a0000-0000-7000-8000-000000000000");

    private sealed record DemoMember(string Name, string Business, string Village, string Story);

    private sealed record DemoProduct(int Maker, string Category, string NameId, string NameEn, string Description, string Net, long Price, int Stock, bool Halal);

    private static readonly DemoMember[] Members =
    [
        new("Ibu Siti Aminah", "Kerupuk Bu Siti", "Desa Binor", "Membuat kerupuk ikan sejak 1998 dari tangkapan nelayan Binor."),
        new("Ibu Suhartini", "Dapur Tini", "Desa Binor", "Camilan olahan laut, resep keluarga turun-temurun."),
        new("Ibu Nur Hasanah", "Hasil Laut Hasanah", "Desa Sumberanyar", "Ikan asin dan teri dijemur di pantai, tanpa pengawet."),
        new("Ibu Lilik Wahyuni", "Anyaman Lilik", "Desa Binor", "Menganyam pandan bersama ibu-ibu tetangga."),
        new("Ibu Rukmini", "Batik Rukmini", "Desa Karanganyar", "Batik tulis bermotif laut dan perahu nelayan."),
    ];

    private static readonly DemoProduct[] Products =
    [
        new(0, "kerupuk", "Kerupuk Ikan Tenggiri", "Mackerel fish crackers", "Kerupuk ikan tenggiri asli, renyah dan gurih.", "250 g", 25_000, 60, true),
        new(0, "kerupuk", "Kerupuk Udang Rebon", "Small shrimp crackers", "Kerupuk udang rebon mentah, tinggal goreng.", "250 g", 22_000, 45, true),
        new(0, "kerupuk", "Kerupuk Cumi", "Squid crackers", "Kerupuk cumi dengan potongan cumi asli.", "200 g", 28_000, 30, true),
        new(0, "kerupuk", "Kerupuk Rajungan", "Blue swimming crab crackers", "Kerupuk daging rajungan khas pesisir Probolinggo.", "200 g", 32_000, 25, false),
        new(0, "kerupuk", "Kerupuk Ikan Tongkol", "Tuna crackers", "Kerupuk ikan tongkol, cocok untuk lauk.", "250 g", 20_000, 50, true),
        new(0, "kerupuk", "Kerupuk Kulit Ikan", "Fish skin crackers", "Kulit ikan goreng renyah, siap makan.", "100 g", 18_000, 40, false),
        new(1, "kerupuk", "Rengginang Ikan Teri", "Anchovy rice crackers", "Rengginang ketan dengan ikan teri.", "250 g", 24_000, 35, true),
        new(1, "camilan", "Keripik Singkong Balado", "Spicy cassava chips", "Keripik singkong pedas manis.", "200 g", 15_000, 80, true),
        new(1, "camilan", "Keripik Pisang Manis", "Sweet banana chips", "Keripik pisang kepok, manis alami.", "200 g", 15_000, 70, true),
        new(1, "camilan", "Stik Rumput Laut", "Seaweed sticks", "Stik renyah dari rumput laut pantai Binor.", "150 g", 17_000, 55, true),
        new(1, "camilan", "Abon Ikan Tongkol", "Shredded tuna floss", "Abon ikan tongkol pedas, tahan lama.", "100 g", 35_000, 30, true),
        new(1, "camilan", "Peyek Teri", "Anchovy peanut brittle", "Peyek kacang dan teri, renyah.", "200 g", 20_000, 40, false),
        new(1, "camilan", "Dodol Rumput Laut", "Seaweed dodol", "Dodol kenyal dari rumput laut dan gula kelapa.", "250 g", 23_000, 35, true),
        new(1, "camilan", "Sambal Bawang Cumi", "Squid chilli sambal", "Sambal bawang dengan cumi, dalam botol kaca.", "150 ml", 30_000, 25, true),
        new(2, "hasil-laut-kering", "Ikan Teri Nasi Asin", "Salted whitebait anchovies", "Teri nasi kering, dijemur di pantai.", "250 g", 38_000, 40, true),
        new(2, "hasil-laut-kering", "Ikan Asin Kakap", "Salted snapper", "Ikan kakap asin belah, kering sempurna.", "500 g", 65_000, 20, false),
        new(2, "hasil-laut-kering", "Cumi Asin Kering", "Dried salted squid", "Cumi asin pilihan, tidak terlalu asin.", "250 g", 75_000, 15, true),
        new(2, "hasil-laut-kering", "Udang Ebi", "Dried shrimp", "Ebi kering untuk sambal dan masakan.", "100 g", 30_000, 35, true),
        new(2, "hasil-laut-kering", "Terasi Udang Binor", "Binor shrimp paste", "Terasi udang asli tanpa campuran.", "250 g", 27_000, 45, false),
        new(2, "minuman", "Sirup Mangrove Pedada", "Mangrove apple syrup", "Sirup buah pedada dari hutan mangrove Binor.", "500 ml", 35_000, 25, true),
        new(2, "minuman", "Wedang Jahe Instan", "Instant ginger drink", "Jahe merah bubuk dengan gula aren.", "250 g", 25_000, 40, true),
        new(3, "kerajinan", "Tas Anyaman Pandan", "Woven pandan bag", "Tas belanja anyaman daun pandan.", "1 buah", 85_000, 12, false),
        new(3, "kerajinan", "Tikar Pandan Mini", "Mini pandan mat", "Tikar kecil untuk alas saji.", "1 buah", 45_000, 15, false),
        new(3, "kerajinan", "Hiasan Dinding Kerang", "Seashell wall hanging", "Hiasan dari kerang pantai Binor.", "1 buah", 60_000, 10, false),
        new(3, "kerajinan", "Gantungan Kunci Kerang", "Seashell key ring", "Gantungan kunci kerang, oleh-oleh ringan.", "3 buah", 15_000, 100, false),
        new(3, "kerajinan", "Topi Pantai Anyaman", "Woven beach hat", "Topi anyaman untuk ke pantai.", "1 buah", 55_000, 20, false),
        new(4, "batik", "Batik Tulis Motif Ikan", "Hand-drawn fish batik", "Kain batik tulis 2 m, motif ikan dan ombak.", "2 m", 250_000, 6, false),
        new(4, "batik", "Selendang Batik Perahu", "Boat batik shawl", "Selendang batik cap motif perahu nelayan.", "1 buah", 120_000, 10, false),
        new(4, "batik", "Kemeja Batik Pesisir", "Coastal batik shirt", "Kemeja batik pria, motif pesisir Probolinggo.", "L", 175_000, 8, false),
        new(4, "batik", "Masker Kain Batik", "Batik cloth mask", "Masker kain tiga lapis bermotif batik.", "2 buah", 20_000, 40, false),
    ];

    /// <summary>Seeds in the background of a starting service, logging rather than crashing it.</summary>
    public static async Task SeedLoggedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ILogger<Cooperative>>();
        try
        {
            await SeedAsync(services, cancellationToken);
            logger.LogInformation("Demo store seeded (or already there)");
        }
        catch (Exception ex) when (ex is DbUpdateException or Npgsql.NpgsqlException or InvalidOperationException or ServiceDefaults.Errors.DomainException)
        {
            logger.LogError(ex, "Seeding the demo store failed");
        }
    }

    public static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        if (await db.Cooperatives.AnyAsync(c => c.Slug == Slug, cancellationToken))
        {
            return;
        }

        var outbox = scope.ServiceProvider.GetRequiredService<IOutbox>();
        var events = scope.ServiceProvider.GetRequiredService<ProductEvents>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow();

        var cooperative = Cooperative.Register(Slug, "Koperasi Wanita Pantai Binor", 10m, now);
        cooperative.UpdateProfile(
            "Koperasi wanita nelayan Desa Binor, Kecamatan Paiton, Kabupaten Probolinggo. Anggota kami membuat kerupuk, camilan dan kerajinan dari hasil laut pantai Binor.",
            "Kios oleh-oleh di pintu masuk Pantai Binor, dekat tempat parkir bus",
            "0812-3456-7000",
            Enum.GetValues<DayOfWeek>().Select(d => new OpeningHours(d, new TimeOnly(d is DayOfWeek.Saturday or DayOfWeek.Sunday ? 7 : 8, 0), new TimeOnly(17, 0))).ToList());
        cooperative.SetFeePolicy(10m, new Dictionary<string, decimal> { [ProductCategories.Batik] = 7.5m, [ProductCategories.Crafts] = 8m });
        db.Cooperatives.Add(cooperative);
        outbox.Publish(new CooperativeRegistered(cooperative.Id, cooperative.Slug, cooperative.Name, cooperative.FeePercent, now), cooperative.Id.ToString());
        outbox.Publish(cooperative.ToUpdatedEvent(now), cooperative.Id.ToString());

        var members = new List<Member>();
        for (var i = 0; i < Members.Length; i++)
        {
            var demo = Members[i];
            var slug = await MemberSlugs.FreeAsync(db, demo.Name, cancellationToken);
            var member = Member.Join(DemoMemberId(i), Guid.Empty, cooperative.Id, demo.Name, slug, $"0812-3456-70{i + 1:00}", now);
            member.UpdateProfile(demo.Name, demo.Business, demo.Village, demo.Story, $"0812-3456-70{i + 1:00}");
            db.Members.Add(member);
            outbox.Publish(member.ToUpdatedEvent(now), member.Id.ToString());
            members.Add(member);
        }

        var index = 0;
        foreach (var demo in Products)
        {
            var maker = members[demo.Maker];
            var food = ProductCategories.IsFood(demo.Category);
            var listing = ProductListing.Create(new ListingFields(
                demo.NameId,
                demo.NameEn,
                demo.Description,
                null,
                food ? "plastik" : null,
                demo.Net,
                food ? 180 : null,
                null,
                demo.Category is "kerupuk" or "hasil-laut-kering" ? "Ikan, udang" : null,
                food ? "Simpan di tempat kering dan sejuk" : null,
                food ? $"P-IRT No. 20202350101{index:00}-29" : null,
                food ? new DateOnly(2029, 12, 31) : null,
                null,
                food && demo.Halal ? $"ID3511000012345{index:0000}" : null,
                food && demo.Halal ? new DateOnly(2030, 6, 30) : null));
            var product = Product.CreateDraft(cooperative.Id, maker.Id, maker.DisplayName, demo.Category, listing,
                [new VariantFields($"BNR-{index + 1:000}", demo.Net, demo.Price, Math.Max(50, WeightOf(demo.Net)), demo.Stock)], now);
            product.Submit(now);
            product.Approve(now);
            db.Products.Add(product);
            events.PublishSaleChange(product, wasOnSale: false, now, "seeded");

            var image = product.AcceptImage(now);
            db.ImageUploads.Add(new ImageUpload { ImageId = image.Id, Kind = ImageUploadKind.ProductPhoto, OwnerId = product.Id, Content = DemoImages.Render(demo.Category, index), ReceivedAt = now });
            index++;
        }

        Stock.StockOpenings.RecordFor(db, Stock.StockBook.System, now);
        await db.SaveChangesAsync(cancellationToken);
        scope.ServiceProvider.GetRequiredService<ImageUploadSignal>().Pulse();
        // So that misspelt searches find the demo products at once, not at the next scheduled refresh.
        await scope.ServiceProvider.GetRequiredService<Search.SearchVocabularyRefresher>().RefreshAsync(cancellationToken);
    }

    public static Guid DemoMemberId(int index) => new($"0b1a0000-0000-7000-8000-0000000000{index + 1:00}");

    private static int WeightOf(string net) =>
        int.TryParse(new string(net.TakeWhile(char.IsDigit).ToArray()), out var grams) && net.EndsWith(" g", StringComparison.Ordinal)
            ? grams + 50
            : 300;
}
