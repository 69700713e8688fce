using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Marketplace.Catalog.Counter;
using Marketplace.Catalog.Stock;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Catalog.Tests;

/// <summary>Walk-in sales at the kiosk: goods taken off the shelf (also beyond what the books have), returned, and the sale screen's catalogue.</summary>
public sealed class CounterStockTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    private IBus Bus => catalog.Host.Services.GetRequiredService<IBus>();

    private static DateOnly Today => LocalTime.Today(DateTimeOffset.UtcNow, Cooperatives.Cooperative.DefaultTimeZone);

    internal static string Clerk(Guid cooperativeId) =>
        TestTokens.Issuer.Mint(new ServiceCaller(Guid.NewGuid(), [MarketplaceRoles.KioskClerk], [cooperativeId]));

    [Fact]
    public async Task A_counter_sale_within_stock_takes_the_first_expiring_batch_first_and_publishes_its_cost()
    {
        var (cooperative, member, product, variant) = await ProductWithoutStockAsync();
        var late = await ReceiveAsync(variant, 5, Today.AddDays(40), 10_000);
        var soon = await ReceiveAsync(variant, 3, Today.AddDays(10), 12_000);

        var order = NewId.NextGuid();
        await SellAsync(new TakeCounterStock(order, cooperative, [new StockLine(variant, 4)], "kasir-1", DateTimeOffset.UtcNow));

        Assert.Equal((0, 4), (await RemainingAsync(soon), await RemainingAsync(late)));
        Assert.Equal(4, await OnHandAsync(variant));
        var movements = await catalog.InDbAsync(db => db.StockMovements.AsNoTracking().Where(m => m.OrderId == order).ToListAsync());
        Assert.All(movements, m => Assert.Equal((MovementKinds.SoldAtCounter, "kasir-1"), (m.Kind, m.MadeBy)));
        Assert.Equal(-4, movements.Sum(m => m.Quantity));
        var sold = Assert.Single(await ReviewEventsTests.PublishedAsync<StockSoldAtCost>(catalog, e => e.OrderId == order));
        Assert.Equal(new CostedLine(variant, product, member, 4, (3 * 12_000) + 10_000, true), Assert.Single(sold.Lines));
        Assert.Empty(await ShortagesAsync(cooperative));
        Assert.Empty(await MismatchesAsync());
    }

    [Fact]
    public async Task A_counter_sale_beyond_stock_goes_through_flags_the_shortage_and_never_takes_on_hand_below_zero()
    {
        var (cooperative, member, product, variant) = await ProductWithoutStockAsync();
        await ReceiveAsync(variant, 2, Today.AddDays(30), 8_000);
        // One more is held for an online order: the counter may not take it from under that order.
        var online = NewId.NextGuid();
        await Bus.Publish(new ReserveStock(online, cooperative, [new StockLine(variant, 1)], DateTimeOffset.UtcNow.AddMinutes(30)));
        await Eventually.TrueAsync(async () => await catalog.InDbAsync(db => db.StockReservations.AnyAsync(r => r.OrderId == online && r.Status == ReservationStatus.Held)), because: "the hold");

        var order = NewId.NextGuid();
        await SellAsync(new TakeCounterStock(order, cooperative, [new StockLine(variant, 3), new StockLine(variant, 2)], "kasir-1", DateTimeOffset.UtcNow));

        // 5 sold, 1 was free: on hand 1 (the held one), available online 0, a shortage of 4 for the next count.
        Assert.Equal(1, await OnHandAsync(variant));
        var shown = await catalog.Anonymous().GetFromJsonAsync<JsonElement>($"/api/catalog/products/{product}");
        Assert.Equal(0, shown.GetProperty("variants")[0].GetProperty("available").GetInt32());
        var sold = Assert.Single(await ReviewEventsTests.PublishedAsync<StockSoldAtCost>(catalog, e => e.OrderId == order));
        Assert.Equal((1, 8_000L), (Assert.Single(sold.Lines).Quantity, sold.Lines[0].CostRupiah));
        var shortage = Assert.Single(await ShortagesAsync(cooperative));
        Assert.Equal((variant, product, member, order, 4, "Ibu Siti Aminah", "250 g"),
            (shortage.VariantId, shortage.ProductId, shortage.MemberId, shortage.OrderId, shortage.Quantity, shortage.MakerName, shortage.VariantLabel));

        // Nothing left at all: the next sale takes nothing and flags all of it.
        var second = NewId.NextGuid();
        await SellAsync(new TakeCounterStock(second, cooperative, [new StockLine(variant, 2)], "kasir-1", DateTimeOffset.UtcNow));
        Assert.Equal(1, await OnHandAsync(variant));
        Assert.Empty(await ReviewEventsTests.PublishedAsync<StockSoldAtCost>(catalog, e => e.OrderId == second));
        Assert.Equal([4, 2], (await ShortagesAsync(cooperative)).Select(s => s.Quantity));

        // Only its admins see the list (a clerk is no admin); the count of that size settles both.
        var stranger = catalog.As(TestTokens.CooperativeAdmin((await catalog.NewCooperativeAsync()).Id));
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(new Uri($"/api/catalog/cooperatives/{cooperative}/stock/shortages", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await catalog.As(Clerk(cooperative)).GetAsync(new Uri($"/api/catalog/cooperatives/{cooperative}/stock/shortages", UriKind.Relative))).StatusCode);
        (await catalog.As(TestTokens.CooperativeAdmin(cooperative)).PostAsJsonAsync($"/api/catalog/cooperatives/{cooperative}/stock-counts",
            new { lines = new[] { new { variantId = variant, counted = 1 } }, reason = "opname" })).EnsureSuccessStatusCode();
        Assert.Empty(await ShortagesAsync(cooperative));
        Assert.Equal(2, await catalog.InDbAsync(db => db.StockShortages.CountAsync(s => s.VariantId == variant && s.ResolvedBy == "count")));
        Assert.Empty(await MismatchesAsync());
    }

    [Fact]
    public async Task Goods_returned_at_the_counter_go_back_into_the_batches_they_came_from_and_close_what_was_a_shortage()
    {
        var (cooperative, member, product, variant) = await ProductWithoutStockAsync();
        var soon = await ReceiveAsync(variant, 2, Today.AddDays(10), 12_000);
        var late = await ReceiveAsync(variant, 3, Today.AddDays(40), 10_000);
        var order = NewId.NextGuid();
        await SellAsync(new TakeCounterStock(order, cooperative, [new StockLine(variant, 7)], "kasir-1", DateTimeOffset.UtcNow));
        Assert.Equal((0, 0, 0), (await RemainingAsync(soon), await RemainingAsync(late), await OnHandAsync(variant)));
        Assert.Equal(2, Assert.Single(await ShortagesAsync(cooperative)).Quantity);

        // Another delivery arrives meanwhile: a return must not go into it.
        var other = await ReceiveAsync(variant, 4, Today.AddDays(5), 9_000);

        // Four back: the latest-expiring batch it came from first (3), then the sooner one (1).
        var refund = NewId.NextGuid();
        await ReturnAsync(new ReturnCounterStock(order, refund, cooperative, [new StockLine(variant, 4)], "kasir-1", DateTimeOffset.UtcNow));
        Assert.Equal((1, 3, 4), (await RemainingAsync(soon), await RemainingAsync(late), await RemainingAsync(other)));
        var back = Assert.Single(await ReviewEventsTests.PublishedAsync<StockReturnedAtCost>(catalog, e => e.RefundId == refund));
        Assert.Equal(new CostedLine(variant, product, member, 4, (3 * 10_000) + 12_000, true), Assert.Single(back.Lines));

        // The last three: one more into its batch, two were never on the books (the shortage), which they close.
        var last = NewId.NextGuid();
        await ReturnAsync(new ReturnCounterStock(order, last, cooperative, [new StockLine(variant, 3)], "kasir-1", DateTimeOffset.UtcNow));
        Assert.Equal((2, 3), (await RemainingAsync(soon), await RemainingAsync(late)));
        Assert.Equal(9, await OnHandAsync(variant));
        var lastBack = Assert.Single(Assert.Single(await ReviewEventsTests.PublishedAsync<StockReturnedAtCost>(catalog, e => e.RefundId == last)).Lines);
        Assert.Equal((1, 12_000L), (lastBack.Quantity, lastBack.CostRupiah));
        Assert.Empty(await ShortagesAsync(cooperative));
        Assert.Equal("return", await catalog.InDbAsync(db => db.StockShortages.Where(s => s.OrderId == order).Select(s => s.ResolvedBy).SingleAsync()));
        Assert.Empty(await MismatchesAsync());
    }

    [Fact]
    public async Task A_repeated_sale_or_return_changes_nothing()
    {
        var (cooperative, _, _, variant) = await ProductWithoutStockAsync();
        await ReceiveAsync(variant, 5, Today.AddDays(20), 5_000);
        var order = NewId.NextGuid();
        var sale = new TakeCounterStock(order, cooperative, [new StockLine(variant, 3)], "kasir-1", DateTimeOffset.UtcNow);
        var saleMessage = NewId.NextGuid();
        await SellAsync(sale, saleMessage);
        // The same message redelivered, and the same sale sent again by Orders (a new message id), twice at once.
        await Task.WhenAll(SellAsync(sale, saleMessage), SellAsync(sale), SellAsync(sale));
        Assert.Equal(2, await OnHandAsync(variant));
        Assert.Single(await ReviewEventsTests.PublishedAsync<StockSoldAtCost>(catalog, e => e.OrderId == order));

        var refund = new ReturnCounterStock(order, NewId.NextGuid(), cooperative, [new StockLine(variant, 2)], "kasir-1", DateTimeOffset.UtcNow);
        await Task.WhenAll(ReturnAsync(refund), ReturnAsync(refund));
        Assert.Equal(4, await OnHandAsync(variant));
        Assert.Single(await ReviewEventsTests.PublishedAsync<StockReturnedAtCost>(catalog, e => e.RefundId == refund.RefundId));
        Assert.Equal(2, await catalog.InDbAsync(db => db.StockMovements.CountAsync(m => m.OrderId == order)));
        Assert.Empty(await MismatchesAsync());
    }

    [Fact]
    public async Task The_counter_catalogue_lists_every_approved_product_also_out_of_stock_and_of_a_member_away_and_answers_304_when_unchanged()
    {
        var cooperative = (await catalog.NewCooperativeAsync()).Id;
        var member = await catalog.NewMemberAsync(cooperative);
        var away = await catalog.NewMemberAsync(cooperative, "Ibu Sri Wahyuni");
        var inStock = await catalog.PublishedProductAsync(member, Requests.Crackers(name: "Kerupuk Tenggiri", stock: 6, price: 25_000));
        var empty = await catalog.PublishedProductAsync(member, Requests.Crackers(name: "Kerupuk Udang", stock: 0, price: 18_000));
        var hers = await catalog.PublishedProductAsync(away, Requests.Crackers(name: "Ikan Asin Layur", stock: 3, category: "hasil-laut-kering"));
        var draft = await catalog.CreateProductAsync(member, Requests.Crackers(name: "Kerupuk Belum Disetujui"));
        (await catalog.As(away.Token).PutAsJsonAsync("/api/catalog/members/me/holiday", new { awayFrom = Today, awayUntil = Today.AddDays(7) })).EnsureSuccessStatusCode();
        var otherCooperative = (await catalog.NewCooperativeAsync()).Id;
        await catalog.PublishedProductAsync(await catalog.NewMemberAsync(otherCooperative), Requests.Crackers(name: "Kerupuk Lain"));

        var clerk = catalog.As(Clerk(cooperative));
        var first = await clerk.GetAsync(new Uri($"/api/catalog/cooperatives/{cooperative}/counter-catalogue", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        var listed = (await first.Content.ReadFromJsonAsync<CounterCatalogueResponse>())!;
        Assert.Equal(["Ikan Asin Layur", "Kerupuk Tenggiri", "Kerupuk Udang"], listed.Products.Select(p => p.NameId));
        Assert.DoesNotContain(listed.Products, p => p.Id == draft.Id);
        var udang = listed.Products.Single(p => p.Id == empty.Id);
        Assert.Equal((0, 18_000L, "250 g", "Ibu Siti Aminah", "kerupuk"), (udang.Variants[0].OnHand, udang.Variants[0].PriceRupiah, udang.Variants[0].Label, udang.MakerName, udang.Category));
        var layur = listed.Products.Single(p => p.Id == hers.Id);
        Assert.True(layur.MakerAway);
        Assert.Equal(3, layur.Variants[0].OnHand);
        Assert.False(listed.Products.Single(p => p.Id == inStock.Id).MakerAway);

        // Unchanged: 304 without a body. A sale changes on hand, so the tag changes and the list comes again.
        var again = await GetWithTagAsync(clerk, cooperative, etag!);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        await SellAsync(new TakeCounterStock(NewId.NextGuid(), cooperative, [new StockLine(inStock.Variants[0].Id, 1)], "kasir-1", DateTimeOffset.UtcNow));
        var changed = await GetWithTagAsync(clerk, cooperative, etag!);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        Assert.Equal(5, (await changed.Content.ReadFromJsonAsync<CounterCatalogueResponse>())!.Products.Single(p => p.Id == inStock.Id).Variants[0].OnHand);

        // Its admins may sell too; a clerk of another cooperative learns nothing, and a member is no clerk.
        Assert.Equal(HttpStatusCode.OK, (await catalog.As(TestTokens.CooperativeAdmin(cooperative)).GetAsync(new Uri($"/api/catalog/cooperatives/{cooperative}/counter-catalogue", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await catalog.As(Clerk(otherCooperative)).GetAsync(new Uri($"/api/catalog/cooperatives/{cooperative}/counter-catalogue", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await catalog.As(member.Token).GetAsync(new Uri($"/api/catalog/cooperatives/{cooperative}/counter-catalogue", UriKind.Relative))).StatusCode);
    }

    private static Task<HttpResponseMessage> GetWithTagAsync(HttpClient client, Guid cooperative, System.Net.Http.Headers.EntityTagHeaderValue etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/catalog/cooperatives/{cooperative}/counter-catalogue");
        request.Headers.IfNoneMatch.Add(etag);
        return client.SendAsync(request);
    }

    private async Task<(Guid Cooperative, Guid Member, Guid Product, Guid Variant)> ProductWithoutStockAsync()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member, Requests.Crackers(stock: 0));
        return (cooperative.Id, member.Id, product.Id, product.Variants[0].Id);
    }

    /// <summary>Publishes a sale (under the given message id, or a new one) and waits until Catalog has handled that message.</summary>
    private async Task SellAsync(TakeCounterStock sale, Guid? messageId = null)
    {
        var id = messageId ?? NewId.NextGuid();
        await Bus.Publish(sale, c => c.MessageId = id);
        await HandledAsync(id, nameof(TakeCounterStockConsumer));
    }

    private async Task ReturnAsync(ReturnCounterStock refund)
    {
        var id = NewId.NextGuid();
        await Bus.Publish(refund, c => c.MessageId = id);
        await HandledAsync(id, nameof(ReturnCounterStockConsumer));
    }

    private Task HandledAsync(Guid messageId, string consumer) => Eventually.TrueAsync(
        async () => await catalog.InDbAsync(db => db.Database.SqlQuery<int>(
            $"SELECT count(*)::int AS \"Value\" FROM catalog.inbox_messages WHERE message_id = {messageId} AND consumer = {consumer}").SingleAsync()) == 1,
        because: $"{consumer} to handle its message");

    private async Task<List<ShortageResponse>> ShortagesAsync(Guid cooperative) =>
        (await catalog.As(TestTokens.CooperativeAdmin(cooperative)).GetFromJsonAsync<List<ShortageResponse>>($"/api/catalog/cooperatives/{cooperative}/stock/shortages"))!;

    private async Task<Guid> ReceiveAsync(Guid variant, int quantity, DateOnly expiresOn, long cost)
    {
        await using var scope = catalog.Host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.CatalogDbContext>();
        var book = scope.ServiceProvider.GetRequiredService<StockBook>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var batch = await book.ReceiveAsync((await book.LockAsync(variant, default))!, quantity, MovementKinds.Received, new BatchDates(null, expiresOn, cost), "test", null, null, default);
        await transaction.CommitAsync();
        return batch;
    }

    private async Task<List<StockMismatch>> MismatchesAsync()
    {
        await using var scope = catalog.Host.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<StockBook>().MismatchesAsync(default);
    }

    private Task<int> OnHandAsync(Guid variant) => catalog.InDbAsync(db => db.Variants.AsNoTracking().Where(v => v.Id == variant).Select(v => v.OnHand).SingleAsync());

    private Task<int> RemainingAsync(Guid batch) => catalog.InDbAsync(db => db.StockBatches.AsNoTracking().Where(b => b.Id == batch).Select(b => b.Remaining).SingleAsync());
}
