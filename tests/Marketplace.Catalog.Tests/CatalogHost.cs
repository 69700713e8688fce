using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Marketplace.Catalog.Cooperatives;
using Marketplace.Catalog.Data;
using Marketplace.Catalog.Products;
using Marketplace.Contracts.Gateway;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Catalog.Tests;

/// <summary>One Catalog service on its own database and virtual host, with helpers to set up cooperatives and members.</summary>
public sealed class CatalogHost : IAsyncLifetime
{
    private ServiceHost<Program> _host = null!;

    public ServiceHost<Program> Host => _host;

    public TestScope Scope { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Scope = await TestScope.CreateAsync();
        var settings = ServiceSettings.For(Scope, TestTokens.Issuer, "catalog");
        settings["ConnectionStrings:catalogdb"] = Scope.Database("catalog");
        settings["Stock:Expiry:Interval"] = "00:00:00.200";
        settings["Images:PollInterval"] = "00:00:00.200";
        settings["Search:RefreshInterval"] = "00:00:00.300";
        // Searches share two cores with image encoding and every other test here: 1.5 s was once not enough.
        settings["Search:StatementTimeout"] = "00:00:10";
        _host = new ServiceHost<Program>(settings);
        var client = _host.CreateClient();
        await Eventually.TrueAsync(async () => (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode,
            TimeSpan.FromSeconds(60), "Catalog to be ready");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public HttpClient Anonymous() => _host.CreateClient();

    public HttpClient As(string token) => _host.CreateClient().WithToken(token);

    public async Task<CooperativeResponse> NewCooperativeAsync(string? slug = null, decimal fee = 10m)
    {
        slug ??= "koperasi-" + Guid.NewGuid().ToString("N")[..10];
        var response = await As(TestTokens.PlatformAdmin()).PostAsJsonAsync("/api/catalog/cooperatives", new { slug, name = "Koperasi Wanita " + slug, feePercent = fee });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CooperativeResponse>())!;
    }

    /// <summary>A member who joined through the Gateway's invitation flow, as Catalog learns of it.</summary>
    public async Task<TestMember> NewMemberAsync(Guid cooperativeId, string displayName = "Ibu Siti Aminah")
    {
        var memberId = Guid.NewGuid();
        await _host.Services.GetRequiredService<IBus>().Publish(new MemberJoined(memberId, Guid.NewGuid(), cooperativeId, displayName, "0812-3456-7890", DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(async () =>
        {
            await using var scope = _host.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<CatalogDbContext>().Members.AnyAsync(m => m.Id == memberId);
        }, because: "the member to join");
        return new TestMember(memberId, cooperativeId, TestTokens.Member(cooperativeId, memberId));
    }

    /// <summary>
    /// Creates a product as its member does, with no stock; the stock a request names for each size (as the portal's old
    /// form sent it) she then brings to the kiosk and an admin receives, as a delivery: the only way goods reach the shelf.
    /// </summary>
    public async Task<ManagedProductResponse> CreateProductAsync(TestMember member, object? request = null)
    {
        var body = JsonSerializer.SerializeToNode(request ?? Requests.Crackers(), JsonSerializerOptions.Web)!.AsObject();
        var stocks = new List<int>();
        foreach (var variant in body["variants"] as JsonArray ?? [])
        {
            stocks.Add(variant?["stock"]?.GetValue<int>() ?? 0);
            if (variant is JsonObject fields)
            {
                fields.Remove("stock");
            }
        }

        var response = await As(member.Token).PostAsJsonAsync("/api/catalog/products", body);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            Assert.Fail($"Creating a product answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var product = (await response.Content.ReadFromJsonAsync<ManagedProductResponse>())!;
        var lines = product.Variants.Zip(stocks).Where(x => x.Second > 0).Select(x => (x.First.Id, x.Second)).ToList();
        if (lines.Count == 0)
        {
            return product;
        }

        await DeliverAsync(member, lines);
        return (await As(member.Token).GetFromJsonAsync<ManagedProductResponse>($"/api/catalog/products/{product.Id}/manage"))!;
    }

    /// <summary>Goods she brings to the kiosk (good for half a year) and an admin of her cooperative receives in full.</summary>
    public async Task<Guid> DeliverAsync(TestMember member, IReadOnlyList<(Guid VariantId, int Quantity)> lines)
    {
        var expires = LocalTime.Today(DateTimeOffset.UtcNow, Cooperative.DefaultTimeZone).AddDays(180);
        var announced = await As(member.Token).PostAsJsonAsync("/api/catalog/deliveries", new
        {
            lines = lines.Select(l => new { variantId = l.VariantId, quantity = l.Quantity, expiresOn = expires }).ToArray(),
        });
        if (announced.StatusCode != HttpStatusCode.Created)
        {
            Assert.Fail($"Announcing a delivery answered {(int)announced.StatusCode}: {await announced.Content.ReadAsStringAsync()}");
        }

        var delivery = (await announced.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var received = await As(TestTokens.CooperativeAdmin(member.CooperativeId)).PostAsJsonAsync($"/api/catalog/deliveries/{delivery}/receive", new
        {
            lines = lines.Select((l, i) => new { lineNo = i + 1, accepted = l.Quantity }).ToArray(),
        });
        if (received.StatusCode != HttpStatusCode.OK)
        {
            Assert.Fail($"Receiving a delivery answered {(int)received.StatusCode}: {await received.Content.ReadAsStringAsync()}");
        }

        return delivery;
    }

    /// <summary>Created, submitted and approved: on sale.</summary>
    public async Task<ManagedProductResponse> PublishedProductAsync(TestMember member, object? request = null)
    {
        var product = await CreateProductAsync(member, request);
        (await As(member.Token).PostAsync(new Uri($"/api/catalog/products/{product.Id}/submit", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var approved = await As(TestTokens.CooperativeAdmin(member.CooperativeId)).PostAsync(new Uri($"/api/catalog/products/{product.Id}/approve", UriKind.Relative), null);
        approved.EnsureSuccessStatusCode();
        return (await approved.Content.ReadFromJsonAsync<ManagedProductResponse>())!;
    }

    public async Task<T> InDbAsync<T>(Func<CatalogDbContext, Task<T>> query)
    {
        await using var scope = _host.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<CatalogDbContext>());
    }
}

public sealed record TestMember(Guid Id, Guid CooperativeId, string Token);

/// <summary>Realistic requests, as the member portal sends them.</summary>
public static class Requests
{
    public static object Crackers(string name = "Kerupuk Ikan Tenggiri", long price = 25_000, int stock = 40, string? halal = "ID35110000123450923", string category = "kerupuk") => new
    {
        category,
        listing = new
        {
            nameId = name,
            nameEn = "Mackerel fish crackers",
            descriptionId = "Kerupuk ikan tenggiri asli Pantai Binor, digoreng renyah, tanpa pengawet.",
            descriptionEn = "Crispy mackerel crackers from Pantai Binor, no preservatives.",
            packagingType = "plastik",
            netContent = "250 g",
            shelfLifeDays = 180,
            ingredients = "Ikan tenggiri, tepung tapioka, bawang putih, garam",
            allergens = "Ikan",
            storageNote = "Simpan di tempat kering",
            pirtNumber = "P-IRT No. 2020235010123-26",
            pirtValidUntil = "2029-06-30",
            halalCertificateNumber = halal,
            halalValidUntil = halal is null ? null : "2030-01-31",
        },
        variants = new[]
        {
            new { sku = "KRP-250-" + Guid.NewGuid().ToString("N")[..6], label = "250 g", priceRupiah = price, weightGrams = 300, stock },
        },
    };
}
