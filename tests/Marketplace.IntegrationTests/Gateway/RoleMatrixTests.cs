using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Marketplace.IntegrationTests;

/// <summary>
/// Every role against the endpoints that matter, through the Gateway with real accounts: each role is allowed
/// exactly what it should be, and nobody reaches another cooperative's data by putting its ids in a URL.
/// </summary>
public sealed class RoleMatrixTests(RoleMatrixTests.Parties parties) : IClassFixture<RoleMatrixTests.Parties>
{
    /// <summary>Two cooperatives, each with an admin and a member with a product, plus a shopper and the platform admin.</summary>
    public sealed class Parties : IAsyncLifetime
    {
        public GatewayStack Stack { get; } = new();

        public Dictionary<string, Browser?> Roles { get; } = [];

        public CooperativeParty A { get; private set; } = null!;

        public CooperativeParty B { get; private set; } = null!;

        public Guid ProductOfA { get; private set; }

        public Guid ProductOfB { get; private set; }

        public Guid SpareCooperative { get; private set; }

        public async Task InitializeAsync()
        {
            await Stack.InitializeAsync();
            var platform = await Stack.SignedInPlatformAdminAsync();
            A = await Stack.CooperativeWithAdminAndMemberAsync(platform, "koperasi-a");
            B = await Stack.CooperativeWithAdminAndMemberAsync(platform, "koperasi-b");
            SpareCooperative = (await Stack.RegisterCooperativeAsync(platform, "koperasi-cadangan")).Id;
            ProductOfA = await CreateProductAsync(A.Member, "Tas Anyaman Pandan A");
            ProductOfB = await CreateProductAsync(B.Member, "Tas Anyaman Pandan B");

            var shopper = Stack.NewBrowser();
            var registered = await shopper.Http.PostAsJsonAsync("/api/account/register", new { displayName = "Turis", email = "turis@wisata.test", password = "liburan-ke-binor" });
            shopper.RememberAntiforgeryToken(await registered.Content.ReadFromJsonAsync<JsonElement>());

            Roles["anonymous"] = Stack.NewBrowser();
            Roles["shopper"] = shopper;
            Roles["member"] = A.Member;
            Roles["cooperative-admin"] = A.Admin;
            Roles["platform-admin"] = platform;
        }

        public Task DisposeAsync() => Stack.DisposeAsync();

        private static async Task<Guid> CreateProductAsync(Browser member, string name)
        {
            var response = await member.Http.PostAsJsonAsync("/api/catalog/products", new
            {
                category = "kerajinan",
                listing = new
                {
                    nameId = name,
                    nameEn = "Woven pandan bag",
                    descriptionId = "Tas anyaman daun pandan buatan tangan anggota koperasi di Pantai Binor.",
                    descriptionEn = "Hand-woven pandan leaf bag.",
                },
                variants = new[] { new { sku = "TAS-" + Guid.NewGuid().ToString("N")[..6], label = "Sedang", priceRupiah = 45_000L, weightGrams = 200 } },
            });
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }
    }

    public static TheoryData<string, string, string, string, int> Matrix() => new()
    {
        // role, method, path, body, expected status
        { "anonymous", "GET", "/api/catalog/products", "", 200 },
        { "anonymous", "GET", "/api/account/me", "", 401 },
        { "anonymous", "POST", "/api/catalog/cooperatives", "cooperative", 401 },
        { "anonymous", "GET", "/api/catalog/products/mine", "", 401 },
        { "anonymous", "GET", "/api/catalog/cooperatives/{A}/review-queue", "", 401 },
        { "anonymous", "POST", "/api/account/invitations", "invite-A", 401 },

        { "shopper", "GET", "/api/catalog/products", "", 200 },
        { "shopper", "GET", "/api/account/me", "", 200 },
        { "shopper", "POST", "/api/catalog/cooperatives", "cooperative", 403 },
        { "shopper", "GET", "/api/catalog/products/mine", "", 403 },
        { "shopper", "POST", "/api/catalog/products", "product", 403 },
        { "shopper", "GET", "/api/catalog/cooperatives/{A}/review-queue", "", 403 },
        { "shopper", "POST", "/api/account/invitations", "invite-A", 403 },
        // Catalog answers 404, not 403, for a product the caller may not manage: it does not confirm that it exists.
        { "shopper", "PUT", "/api/catalog/products/{productA}/variants/{variantA}/stock", "stock", 404 },

        { "member", "GET", "/api/catalog/products/mine", "", 200 },
        { "member", "GET", "/api/catalog/products/{productA}/manage", "", 200 },
        { "member", "PUT", "/api/catalog/products/{productA}/variants/{variantA}/stock", "stock", 200 },
        { "member", "POST", "/api/catalog/cooperatives", "cooperative", 403 },
        { "member", "GET", "/api/catalog/cooperatives/{A}/review-queue", "", 403 },
        { "member", "POST", "/api/catalog/products/{productA}/approve", "", 403 },
        { "member", "POST", "/api/account/invitations", "invite-A", 403 },
        { "member", "PUT", "/api/catalog/cooperatives/{A}/name", "rename", 403 },

        { "cooperative-admin", "GET", "/api/catalog/cooperatives/{A}/review-queue", "", 200 },
        { "cooperative-admin", "PUT", "/api/catalog/cooperatives/{A}/name", "rename", 200 },
        { "cooperative-admin", "POST", "/api/account/invitations", "invite-A", 201 },
        { "cooperative-admin", "GET", "/api/account/invitations/cooperative/{A}", "", 200 },
        { "cooperative-admin", "GET", "/api/catalog/products/{productA}/manage", "", 200 },
        { "cooperative-admin", "GET", "/api/catalog/products/mine", "", 403 },
        { "cooperative-admin", "POST", "/api/catalog/products", "product", 403 },
        { "cooperative-admin", "POST", "/api/catalog/cooperatives", "cooperative", 403 },
        { "cooperative-admin", "POST", "/api/catalog/cooperatives/{spare}/suspend", "", 403 },

        { "platform-admin", "POST", "/api/catalog/cooperatives", "cooperative", 201 },
        { "platform-admin", "GET", "/api/catalog/cooperatives/{B}/review-queue", "", 200 },
        { "platform-admin", "POST", "/api/account/invitations", "invite-B", 201 },
        { "platform-admin", "POST", "/api/catalog/cooperatives/{spare}/suspend", "", 200 },
        { "platform-admin", "GET", "/api/catalog/products/mine", "", 403 },
    };

    public static TheoryData<string, string, string, string, int> AcrossCooperatives() => new()
    {
        // What cooperative A's people try with cooperative B's ids.
        { "cooperative-admin", "PUT", "/api/catalog/cooperatives/{B}/name", "rename", 404 },
        { "cooperative-admin", "POST", "/api/account/invitations", "invite-B", 403 },
        { "cooperative-admin", "GET", "/api/account/invitations/cooperative/{B}", "", 403 },
        { "cooperative-admin", "POST", "/api/catalog/members/{memberB}/suspend", "", 404 },
        { "cooperative-admin", "GET", "/api/catalog/products/{productB}/manage", "", 404 },
        { "cooperative-admin", "POST", "/api/catalog/products/{productB}/approve", "", 404 },
        { "member", "GET", "/api/catalog/products/{productB}/manage", "", 404 },
        { "member", "PUT", "/api/catalog/products/{productB}/variants/{variantB}/stock", "stock", 404 },
        { "member", "POST", "/api/catalog/products/{productB}/archive", "", 404 },
        { "member", "PUT", "/api/catalog/products/{productB}/listing", "listing", 404 },
        { "member", "POST", "/api/catalog/products/{productB}/submit", "", 404 },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_role_is_allowed_exactly_what_it_should_be(string role, string method, string path, string body, int expected) =>
        await AssertStatusAsync(role, method, path, body, expected);

    [Theory]
    [MemberData(nameof(AcrossCooperatives))]
    public async Task Nobody_reaches_another_cooperatives_data_by_guessing_its_ids(string role, string method, string path, string body, int expected)
    {
        await AssertStatusAsync(role, method, path, body, expected);
    }

    [Fact]
    public async Task An_admin_sees_an_empty_review_queue_for_another_cooperative()
    {
        var submitted = await parties.B.Member.Http.PostAsync(new Uri($"/api/catalog/products/{parties.ProductOfB}/submit", UriKind.Relative), null);
        Assert.True(submitted.IsSuccessStatusCode || submitted.StatusCode == HttpStatusCode.Conflict, await submitted.Content.ReadAsStringAsync());

        var ownQueue = await parties.B.Admin.Http.GetStringAsync(new Uri($"/api/catalog/cooperatives/{parties.B.Cooperative.Id}/review-queue", UriKind.Relative));
        var otherQueue = await parties.A.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/cooperatives/{parties.B.Cooperative.Id}/review-queue");

        Assert.Contains(parties.ProductOfB.ToString(), ownQueue, StringComparison.Ordinal);
        Assert.Equal(0, otherQueue.GetArrayLength());
    }

    [Fact]
    public async Task Another_cooperatives_products_stay_unchanged_after_the_attempts()
    {
        await AssertStatusAsync("member", "PUT", "/api/catalog/products/{productB}/listing", "listing", 404);
        await AssertStatusAsync("member", "PUT", "/api/catalog/products/{productB}/variants/{variantB}/stock", "stock", 404);
        await AssertStatusAsync("cooperative-admin", "PUT", "/api/catalog/products/{productB}/variants/{variantB}/stock", "stock", 404);

        var manage = await parties.B.Member.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{parties.ProductOfB}/manage");

        Assert.Equal("Tas Anyaman Pandan B", manage.GetProperty("listing").GetProperty("nameId").GetString());
        Assert.Equal(0, manage.GetProperty("variants")[0].GetProperty("onHand").GetInt32());
    }

    private async Task AssertStatusAsync(string role, string method, string path, string body, int expected)
    {
        var browser = parties.Roles[role]!;
        var url = await ResolveAsync(path);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(url, UriKind.Relative)) { Content = Body(body) };

        var response = await browser.Http.SendAsync(request);

        Assert.True((int)response.StatusCode == expected,
            $"{role} {method} {path}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<string> ResolveAsync(string path)
    {
        if (path.Contains("{variantA}", StringComparison.Ordinal) || path.Contains("{variantB}", StringComparison.Ordinal))
        {
            path = path
                .Replace("{variantA}", (await VariantOfAsync(parties.A.Member, parties.ProductOfA)).ToString(), StringComparison.Ordinal)
                .Replace("{variantB}", (await VariantOfAsync(parties.B.Member, parties.ProductOfB)).ToString(), StringComparison.Ordinal);
        }

        return path
            .Replace("{A}", parties.A.Cooperative.Id.ToString(), StringComparison.Ordinal)
            .Replace("{B}", parties.B.Cooperative.Id.ToString(), StringComparison.Ordinal)
            .Replace("{spare}", parties.SpareCooperative.ToString(), StringComparison.Ordinal)
            .Replace("{productA}", parties.ProductOfA.ToString(), StringComparison.Ordinal)
            .Replace("{productB}", parties.ProductOfB.ToString(), StringComparison.Ordinal)
            .Replace("{memberB}", parties.B.MemberId.ToString(), StringComparison.Ordinal);
    }

    private static async Task<Guid> VariantOfAsync(Browser owner, Guid productId) =>
        (await owner.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{productId}/manage")).GetProperty("variants")[0].GetProperty("id").GetGuid();

    private JsonContent? Body(string kind) => kind switch
    {
        "" => null,
        "cooperative" => JsonContent.Create(new { slug = "koperasi-" + Guid.NewGuid().ToString("N")[..8], name = "Koperasi Baru", feePercent = 5m }),
        "invite-A" => JsonContent.Create(new { cooperativeId = parties.A.Cooperative.Id, kind = "Member" }),
        "invite-B" => JsonContent.Create(new { cooperativeId = parties.B.Cooperative.Id, kind = "Member" }),
        "rename" => JsonContent.Create(new { name = "Koperasi Ganti Nama" }),
        // The matrix's products have no stock (stock comes by delivery): 0 is a member's allowed "lower", not a raise.
        "stock" => JsonContent.Create(new { onHand = 0, reason = "dihitung ulang" }),
        "product" => JsonContent.Create(new
        {
            category = "kerajinan",
            listing = new { nameId = "Topi Pandan", descriptionId = "Topi anyaman pandan buatan tangan." },
            variants = new[] { new { sku = "TOPI-" + Guid.NewGuid().ToString("N")[..6], label = "Satu ukuran", priceRupiah = 30_000L, weightGrams = 150 } },
        }),
        "listing" => JsonContent.Create(new { category = "kerajinan", listing = new { nameId = "Diubah Orang Lain", descriptionId = "Tidak boleh terjadi sama sekali di sini." } }),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
