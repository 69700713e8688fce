using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Marketplace.IntegrationTests;

/// <summary>Catalog, Orders and the Gateway, so a guest reaches Catalog with the same cookie she ordered with.</summary>
public sealed class ReviewShop : IAsyncLifetime
{
    public Shop Shop { get; } = new() { WithGateway = true };

    public Task InitializeAsync() => Shop.InitializeAsync();

    public Task DisposeAsync() => Shop.DisposeAsync();
}

/// <summary>Reviews from buyers only: who may write one, once; moderation; the maker's reply; the rating and its sort.</summary>
public sealed class ReviewTests(ReviewShop fixture) : IClassFixture<ReviewShop>
{
    private readonly Shop _shop = fixture.Shop;

    [Fact]
    public async Task Only_the_buyer_of_a_handed_over_line_reviews_it_once_and_it_waits_for_approval()
    {
        var stall = await _shop.OpenStallAsync("ulasan-pembeli");
        var buyer = _shop.NewShopper();
        var (orderId, lineId) = await PaidKioskOrderAsync(stall, buyer, [(stall.ProductId, stall.VariantId)]);

        // Paid but not yet handed over: nothing to review.
        var early = await WriteAsync(buyer, lineId[0], 5, "Enak sekali.");
        Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        Assert.Equal("not_reviewable", await CodeAsync(early));

        await HandOverAsync(stall, orderId);
        var invited = await InvitationsAsync(buyer, orderId, 1);
        Assert.Equal("invited", invited[0].GetProperty("status").GetString());

        // A stranger with a guest cookie of her own, another signed-in shopper, and nobody at all are refused alike.
        var stranger = _shop.NewShopper();
        (await stranger.PutAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/lines/{stall.VariantId}", new { productId = stall.ProductId, quantity = 1 })).EnsureSuccessStatusCode();
        var byStranger = await WriteAsync(stranger, lineId[0], 1, "Jelek.");
        var byAnotherAccount = await WriteAsync(_shop.Catalog.CreateClient().WithToken(TestTokens.Shopper()), lineId[0], 1, "Jelek.");
        var byNobody = await WriteAsync(new HttpClient { BaseAddress = _shop.GatewayAddress }, lineId[0], 1, "Jelek.");
        Assert.Equal(HttpStatusCode.NotFound, byStranger.StatusCode);
        Assert.Equal("not_reviewable", await CodeAsync(byStranger));
        Assert.Equal(HttpStatusCode.NotFound, byAnotherAccount.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byNobody.StatusCode);
        Assert.Empty((await stranger.GetFromJsonAsync<JsonElement>($"/api/catalog/reviews/orders/{orderId}")).EnumerateArray());

        // Every field's problem at once.
        var invalid = await WriteAsync(buyer, lineId[0], 0, "  ");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var fields = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fieldCodes");
        Assert.Equal("rating_out_of_range", fields.GetProperty("rating")[0].GetString());
        Assert.Equal("review_text_required", fields.GetProperty("text")[0].GetString());

        var written = await WriteAsync(buyer, lineId[0], 4, "Tasnya rapi dan kuat.");
        var again = await WriteAsync(buyer, lineId[0], 1, "Berubah pikiran.");
        Assert.Equal(HttpStatusCode.OK, written.StatusCode);
        Assert.Equal("pending", (await written.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("already_reviewed", await CodeAsync(again));

        // Waiting for moderation: not on the product's page, no rating.
        var product = await _shop.Catalog.CreateClient().GetFromJsonAsync<JsonElement>($"/api/catalog/products/{stall.ProductId}");
        Assert.Equal(JsonValueKind.Null, product.GetProperty("rating").ValueKind);
        Assert.Empty((await PublicReviewsAsync(stall.ProductId)).GetProperty("items").EnumerateArray());
        var queue = await CatalogAdmin(stall).GetFromJsonAsync<JsonElement>($"/api/catalog/cooperatives/{stall.CooperativeId}/reviews");
        Assert.Equal("Tasnya rapi dan kuat.", Assert.Single(queue.EnumerateArray()).GetProperty("text").GetString());

        // One photo, through the product photos' checks: not an image is refused; a photo is processed and kept.
        using (var notAnImage = new ByteArrayContent("bukan foto"u8.ToArray()))
        {
            var refused = await buyer.PutAsync(new Uri($"/api/catalog/reviews/lines/{lineId[0]}/photo", UriKind.Relative), notAnImage);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        using (var photo = new ByteArrayContent(Photo()))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await buyer.PutAsync(new Uri($"/api/catalog/reviews/lines/{lineId[0]}/photo", UriKind.Relative), photo)).StatusCode);
        }

        var withPhoto = await Eventually.GetAsync(
            async () => (await buyer.GetFromJsonAsync<JsonElement>($"/api/catalog/reviews/orders/{orderId}"))[0],
            r => r.GetProperty("photoUrl").ValueKind == JsonValueKind.String,
            because: "the review's photo to be processed");
        var served = await _shop.Catalog.CreateClient().GetAsync(new Uri(withPhoto.GetProperty("photoUrl").GetString()!, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/webp", served.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_approved_review_shows_on_the_product_page_with_the_rating_and_the_makers_one_reply()
    {
        var stall = await _shop.OpenStallAsync("ulasan-balasan");
        var buyer = _shop.NewShopper();
        var (orderId, lineId) = await PaidKioskOrderAsync(stall, buyer, [(stall.ProductId, stall.VariantId)]);
        await HandOverAsync(stall, orderId);
        await InvitationsAsync(buyer, orderId, 1);
        (await WriteAsync(buyer, lineId[0], 4, "Anyamannya halus.")).EnsureSuccessStatusCode();

        var otherAdmin = _shop.Catalog.CreateClient().WithToken(TestTokens.CooperativeAdmin(Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.NotFound, (await otherAdmin.PostAsync(new Uri($"/api/catalog/reviews/{lineId[0]}/approve", UriKind.Relative), null)).StatusCode);
        var tooEarly = await stall.Member.PostAsJsonAsync($"/api/catalog/reviews/{lineId[0]}/reply", new { text = "Terima kasih!" });
        Assert.Equal(HttpStatusCode.Conflict, tooEarly.StatusCode);
        Assert.Equal("review_not_approved", await CodeAsync(tooEarly));

        var admin = CatalogAdmin(stall);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync(new Uri($"/api/catalog/reviews/{lineId[0]}/approve", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync(new Uri($"/api/catalog/reviews/{lineId[0]}/approve", UriKind.Relative), null)).StatusCode);

        var product = await _shop.Catalog.CreateClient().GetFromJsonAsync<JsonElement>($"/api/catalog/products/{stall.ProductId}");
        Assert.Equal(4.0m, product.GetProperty("rating").GetProperty("average").GetDecimal());
        Assert.Equal(1, product.GetProperty("rating").GetProperty("count").GetInt32());
        Assert.Equal(1, product.GetProperty("maker").GetProperty("rating").GetProperty("count").GetInt32());
        var card = await _shop.Catalog.CreateClient().GetFromJsonAsync<JsonElement>($"/api/catalog/products?member={stall.MemberId}");
        Assert.Equal(4.0m, card.GetProperty("items")[0].GetProperty("rating").GetProperty("average").GetDecimal());

        // The maker answers once; another member cannot answer for her.
        var stranger = _shop.Catalog.CreateClient().WithToken(TestTokens.Member(stall.CooperativeId, Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"/api/catalog/reviews/{lineId[0]}/reply", new { text = "Bukan saya." })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stall.Member.PostAsJsonAsync($"/api/catalog/reviews/{lineId[0]}/reply", new { text = "Terima kasih, Bu!" })).StatusCode);
        var twice = await stall.Member.PostAsJsonAsync($"/api/catalog/reviews/{lineId[0]}/reply", new { text = "Sekali lagi." });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal("already_replied", await CodeAsync(twice));

        var shown = Assert.Single((await PublicReviewsAsync(stall.ProductId)).GetProperty("items").EnumerateArray());
        Assert.Equal("Anyamannya halus.", shown.GetProperty("text").GetString());
        Assert.Equal("Terima kasih, Bu!", shown.GetProperty("reply").GetString());
        Assert.Equal("Turis", shown.GetProperty("reviewerName").GetString());
        var mine = await stall.Member.GetFromJsonAsync<JsonElement>("/api/catalog/members/me/reviews");
        Assert.Equal("Terima kasih, Bu!", Assert.Single(mine.EnumerateArray()).GetProperty("reply").GetString());

        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/catalog/audit?cooperativeId={stall.CooperativeId}&action=review");
        Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "review.approved");
    }

    [Fact]
    public async Task A_rejected_review_is_not_shown_and_only_its_writer_reads_the_reason()
    {
        var stall = await _shop.OpenStallAsync("ulasan-tolak");
        var buyer = _shop.NewShopper();
        var (orderId, lineId) = await PaidKioskOrderAsync(stall, buyer, [(stall.ProductId, stall.VariantId)]);
        await HandOverAsync(stall, orderId);
        await InvitationsAsync(buyer, orderId, 1);
        (await WriteAsync(buyer, lineId[0], 1, "Hubungi saya di 0812 0000 0000 untuk barang murah.")).EnsureSuccessStatusCode();
        var admin = CatalogAdmin(stall);

        var noReason = await admin.PostAsJsonAsync($"/api/catalog/reviews/{lineId[0]}/reject", new { reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("review_reason_required", (await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fieldCodes").GetProperty("reason")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/catalog/reviews/{lineId[0]}/reject", new { reason = "Berisi nomor telepon dan iklan." })).StatusCode);

        var hers = (await buyer.GetFromJsonAsync<JsonElement>($"/api/catalog/reviews/orders/{orderId}"))[0];
        Assert.Equal("rejected", hers.GetProperty("status").GetString());
        Assert.Equal("Berisi nomor telepon dan iklan.", hers.GetProperty("rejectionReason").GetString());
        var page = await PublicReviewsAsync(stall.ProductId);
        Assert.Empty(page.GetProperty("items").EnumerateArray());
        Assert.DoesNotContain("Berisi nomor", page.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("rating").ValueKind);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync(new Uri($"/api/catalog/reviews/{lineId[0]}/approve", UriKind.Relative), null)).StatusCode);
    }

    [Fact]
    public async Task A_signed_in_buyer_reviews_by_her_account_and_a_review_taken_down_no_longer_counts()
    {
        var stall = await _shop.OpenStallAsync("ulasan-akun");
        var token = TestTokens.Shopper();
        var buyer = _shop.NewShopper(token);
        var (orderId, lineId) = await PaidKioskOrderAsync(stall, buyer, [(stall.ProductId, stall.VariantId)]);
        await HandOverAsync(stall, orderId);
        var catalog = _shop.Catalog.CreateClient().WithToken(token);
        await InvitationsAsync(catalog, orderId, 1);
        (await WriteAsync(catalog, lineId[0], 5, "Bagus sekali.")).EnsureSuccessStatusCode();
        var admin = CatalogAdmin(stall);
        (await admin.PostAsync(new Uri($"/api/catalog/reviews/{lineId[0]}/approve", UriKind.Relative), null)).EnsureSuccessStatusCode();
        Assert.Equal(5.0m, (await PublicReviewsAsync(stall.ProductId)).GetProperty("rating").GetProperty("average").GetDecimal());

        (await admin.PostAsJsonAsync($"/api/catalog/reviews/{lineId[0]}/reject", new { reason = "Ternyata ulasan untuk toko lain." })).EnsureSuccessStatusCode();

        var product = await _shop.Catalog.CreateClient().GetFromJsonAsync<JsonElement>($"/api/catalog/products/{stall.ProductId}");
        Assert.Equal(JsonValueKind.Null, product.GetProperty("rating").ValueKind);
        Assert.Equal(JsonValueKind.Null, product.GetProperty("maker").GetProperty("rating").ValueKind);
        Assert.Empty((await PublicReviewsAsync(stall.ProductId)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Sorting_by_rating_puts_the_best_average_first_then_the_most_reviewed_and_the_unrated_last()
    {
        var stall = await _shop.OpenStallAsync("ulasan-urut");
        var b = await AddProductAsync(stall, "B");
        var c = await AddProductAsync(stall, "C");
        var d = await AddProductAsync(stall, "D");
        var first = _shop.NewShopper();
        var (firstOrder, firstLines) = await PaidKioskOrderAsync(stall, first, [(stall.ProductId, stall.VariantId), b, c, d]);
        var second = _shop.NewShopper();
        var (secondOrder, secondLines) = await PaidKioskOrderAsync(stall, second, [b]);
        await HandOverAsync(stall, firstOrder);
        await HandOverAsync(stall, secondOrder);
        await InvitationsAsync(first, firstOrder, 4);
        await InvitationsAsync(second, secondOrder, 1);

        // A: 4 from one review; B: 4 from two; C: 5 from one; D: none.
        var admin = CatalogAdmin(stall);
        foreach (var (client, line, stars) in new[] { (first, firstLines[0], 4), (first, firstLines[1], 4), (second, secondLines[0], 4), (first, firstLines[2], 5) })
        {
            (await WriteAsync(client, line, stars, "Ulasan.")).EnsureSuccessStatusCode();
            (await admin.PostAsync(new Uri($"/api/catalog/reviews/{line}/approve", UriKind.Relative), null)).EnsureSuccessStatusCode();
        }

        var page = await _shop.Catalog.CreateClient().GetFromJsonAsync<JsonElement>($"/api/catalog/products?member={stall.MemberId}&sort=rating");
        var order = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
        Assert.Equal([c.ProductId, b.ProductId, stall.ProductId, d.ProductId], order);
        Assert.Equal(2, page.GetProperty("items")[1].GetProperty("rating").GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("items")[3].GetProperty("rating").ValueKind);

        var searched = await _shop.Catalog.CreateClient().GetFromJsonAsync<JsonElement>($"/api/catalog/products?member={stall.MemberId}&q=pandan&sort=rating");
        Assert.Equal(order, searched.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList());
        Assert.Equal(HttpStatusCode.BadRequest, (await _shop.Catalog.CreateClient().GetAsync(new Uri("/api/catalog/products?sort=stars", UriKind.Relative))).StatusCode);
    }

    private static Task<HttpResponseMessage> WriteAsync(HttpClient client, Guid lineId, int rating, string text) =>
        client.PostAsJsonAsync($"/api/catalog/reviews/lines/{lineId}", new { rating, text });

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

    private Task<JsonElement> PublicReviewsAsync(Guid productId) =>
        _shop.Catalog.CreateClient().GetFromJsonAsync<JsonElement>($"/api/catalog/products/{productId}/reviews");

    /// <summary>The buyer's invitations, once Catalog has heard from Orders that the lines reached her.</summary>
    private static async Task<List<JsonElement>> InvitationsAsync(HttpClient buyer, Guid orderId, int lines) =>
        (await Eventually.GetAsync(
            async () => await buyer.GetFromJsonAsync<JsonElement>($"/api/catalog/reviews/orders/{orderId}"),
            r => r.GetArrayLength() == lines,
            because: "Catalog to learn that the order's lines were handed over")).EnumerateArray().ToList();

    private static async Task HandOverAsync(Stall stall, Guid orderId) =>
        (await stall.OrdersAdmin.PostAsync(new Uri($"/api/orders/orders/{orderId}/hand-over", UriKind.Relative), null)).EnsureSuccessStatusCode();

    /// <summary>A kiosk order of one of each, paid at the kiosk and its stock confirmed; its line ids in the same order.</summary>
    private static async Task<(Guid OrderId, List<Guid> LineIds)> PaidKioskOrderAsync(Stall stall, HttpClient shopper, (Guid ProductId, Guid VariantId)[] items)
    {
        foreach (var (productId, variantId) in items)
        {
            (await shopper.PutAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/lines/{variantId}", new { productId, quantity = 1 })).EnsureSuccessStatusCode();
        }

        var pickupDate = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7)).AddDays(1);
        var checkout = await shopper.PostAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/checkout", new
        {
            name = "Turis Senang",
            whatsApp = "0813 2222 3333",
            fulfilment = "pickup",
            pickupDate = pickupDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            payment = "kiosk",
        });
        Assert.True(checkout.StatusCode == HttpStatusCode.Accepted, await checkout.Content.ReadAsStringAsync());
        var orderId = (await checkout.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var order = await Shop.OrderWhenAsync(shopper, orderId, "awaitingKioskPayment");
        (await stall.OrdersAdmin.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/orders/{orderId}/payment", new { method = "qris", reference = "QR-1" })).EnsureSuccessStatusCode();
        await Eventually.GetAsync(
            async () => await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}"),
            o => o.GetProperty("stockConfirmed").GetBoolean(),
            because: "Catalog to confirm the order's stock");
        var lines = order.GetProperty("lines").EnumerateArray().ToList();
        return (orderId, items.Select(i => lines.Single(l => l.GetProperty("variantId").GetGuid() == i.VariantId).GetProperty("id").GetGuid()).ToList());
    }

    private HttpClient CatalogAdmin(Stall stall) => _shop.Catalog.CreateClient().WithToken(TestTokens.CooperativeAdmin(stall.CooperativeId));

    /// <summary>Another approved product of the stall's member, with stock.</summary>
    private async Task<(Guid ProductId, Guid VariantId)> AddProductAsync(Stall stall, string name)
    {
        var create = await stall.Member.PostAsJsonAsync("/api/catalog/products", new
        {
            category = "kerajinan",
            listing = new { nameId = $"Tas Pandan {name}", descriptionId = "Tas anyaman pandan buatan tangan." },
            variants = new[] { new { sku = $"TAS-{name}-{Guid.NewGuid():N}"[..20], label = "Sedang", priceRupiah = 30_000L, weightGrams = 400 } },
        });
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var product = (await create.Content.ReadFromJsonAsync<JsonElement>());
        var productId = product.GetProperty("id").GetGuid();
        var variantId = product.GetProperty("variants")[0].GetProperty("id").GetGuid();
        await KioskDeliveries.BringAsync(stall.Member, CatalogAdmin(stall), (variantId, 10));
        (await stall.Member.PostAsync(new Uri($"/api/catalog/products/{productId}/submit", UriKind.Relative), null)).EnsureSuccessStatusCode();
        (await CatalogAdmin(stall).PostAsync(new Uri($"/api/catalog/products/{productId}/approve", UriKind.Relative), null)).EnsureSuccessStatusCode();
        // Orders sells it once it has heard of it.
        await Eventually.TrueAsync(
            async () => (await _shop.NewShopper().PutAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/lines/{variantId}", new { productId, quantity = 1 })).IsSuccessStatusCode,
            because: "Orders to learn of the new product");
        return (productId, variantId);
    }

    private static byte[] Photo()
    {
        using var image = new Image<Rgb24>(400, 300, new Rgb24(30, 120, 90));
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }
}
