using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Marketplace.Catalog.Deliveries;
using Marketplace.Catalog.Search;
using Marketplace.Catalog.Stock;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Marketplace.Catalog.Tests;

/// <summary>The stock card: deliveries received in part, expiry, restock of a cancelled paid order, low stock, counts.</summary>
public sealed class StockCardTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    private IBus Bus => catalog.Host.Services.GetRequiredService<IBus>();

    [Fact]
    public async Task An_admin_receives_part_of_a_delivery_and_only_what_she_accepts_goes_on_the_shelf()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member, Requests.Crackers(stock: 0));
        var variant = product.Variants[0].Id;
        var other = await catalog.NewMemberAsync(cooperative.Id, "Ibu Sri Wahyuni");
        var admin = catalog.As(TestTokens.CooperativeAdmin(cooperative.Id));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        // Mistakes are named at their fields, all at once; another member's size is not hers to deliver.
        var wrong = await catalog.As(other.Token).PostAsJsonAsync("/api/catalog/deliveries", new
        {
            lines = new object[]
            {
                new { variantId = variant, quantity = 5, producedOn = today, expiresOn = today.AddDays(30), costPerUnitRupiah = 9_000 },
                new { variantId = Guid.NewGuid(), quantity = 0, producedOn = today.AddDays(2), expiresOn = today.AddDays(-1), costPerUnitRupiah = -1 },
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var codes = await FieldCodesAsync(wrong);
        Assert.Equal(["unknown_variant"], codes["lines[0].variantId"]);
        Assert.Equal(["unknown_variant"], codes["lines[1].variantId"]);
        Assert.Equal(["invalid_quantity"], codes["lines[1].quantity"]);
        Assert.Equal(["produced_in_future"], codes["lines[1].producedOn"]);
        Assert.Equal(["already_expired"], codes["lines[1].expiresOn"]);
        Assert.Equal(["invalid_cost"], codes["lines[1].costPerUnitRupiah"]);

        var announced = await catalog.As(member.Token).PostAsJsonAsync("/api/catalog/deliveries", new
        {
            note = "Dua kardus",
            lines = new object[]
            {
                new { variantId = variant, quantity = 20, producedOn = today.AddDays(-2), expiresOn = today.AddDays(60), costPerUnitRupiah = 15_000 },
                new { variantId = variant, quantity = 10, producedOn = today.AddDays(-1), expiresOn = today.AddDays(20), costPerUnitRupiah = 14_000 },
            },
        });
        Assert.Equal(HttpStatusCode.Created, announced.StatusCode);
        var delivery = (await announced.Content.ReadFromJsonAsync<DeliveryResponse>(Json))!;
        Assert.Equal(0, await OnHandAsync(variant));

        // Less than announced needs a reason.
        var noReason = await admin.PostAsJsonAsync($"/api/catalog/deliveries/{delivery.Id}/receive", new { lines = new object[] { new { lineNo = 1, accepted = 20 }, new { lineNo = 2, accepted = 7 } } });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(["reason_required"], (await FieldCodesAsync(noReason))["lines[1].reason"]);
        Assert.Equal(0, await OnHandAsync(variant));

        // Another cooperative's admin and another member do not see it.
        var stranger = catalog.As(TestTokens.CooperativeAdmin((await catalog.NewCooperativeAsync()).Id));
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"/api/catalog/deliveries/{delivery.Id}/receive", new { lines = Array.Empty<object>() })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await catalog.As(other.Token).GetAsync(new Uri($"/api/catalog/deliveries/{delivery.Id}", UriKind.Relative))).StatusCode);

        var received = await admin.PostAsJsonAsync($"/api/catalog/deliveries/{delivery.Id}/receive", new
        {
            lines = new object[] { new { lineNo = 1, accepted = 20 }, new { lineNo = 2, accepted = 7, reason = "3 bungkus sobek" } },
        });
        Assert.Equal(HttpStatusCode.OK, received.StatusCode);
        var done = (await received.Content.ReadFromJsonAsync<DeliveryResponse>(Json))!;
        Assert.Equal(DeliveryStatus.Received, done.Status);
        Assert.Equal(27, await OnHandAsync(variant));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync($"/api/catalog/deliveries/{delivery.Id}/receive", new
        {
            lines = new object[] { new { lineNo = 1, accepted = 20 }, new { lineNo = 2, accepted = 10 } },
        })).StatusCode);
        Assert.Equal(27, await OnHandAsync(variant));

        // The card: two batches with their dates and cost, two received movements naming the delivery, newest first.
        var card = (await catalog.As(member.Token).GetFromJsonAsync<StockCardResponse>($"/api/catalog/products/{product.Id}/variants/{variant}/stock-card", Json))!;
        Assert.Equal(27, card.OnHand);
        Assert.Equal([(today.AddDays(20), 7, 14_000L), (today.AddDays(60), 20, 15_000L)], card.Batches.Select(b => (b.ExpiresOn!.Value, b.Remaining, b.CostPerUnitRupiah!.Value)));
        Assert.All(card.Movements, m => Assert.Equal((MovementKinds.Received, delivery.Id), (m.Kind, m.DeliveryId!.Value)));
        Assert.Equal([27, 20], card.Movements.Select(m => m.OnHandAfter));
        Assert.Equal(HttpStatusCode.NotFound, (await catalog.As(other.Token).GetAsync(new Uri($"/api/catalog/products/{product.Id}/variants/{variant}/stock-card", UriKind.Relative))).StatusCode);

        // Both list it and can print its receipt.
        Assert.Contains((await catalog.As(member.Token).GetFromJsonAsync<List<DeliveryResponse>>("/api/catalog/deliveries", Json))!, d => d.Id == delivery.Id);
        Assert.Contains((await admin.GetFromJsonAsync<List<DeliveryResponse>>($"/api/catalog/deliveries?cooperativeId={cooperative.Id}", Json))!, d => d.Id == delivery.Id);
        foreach (var reader in new[] { admin, catalog.As(member.Token) })
        {
            var pdf = await reader.GetAsync(new Uri($"/api/catalog/deliveries/{delivery.Id}/receipt.pdf", UriKind.Relative));
            Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync())[..4], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_expiry_sweep_takes_an_expired_batch_off_sale_and_the_storefront_no_longer_offers_it()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member, Requests.Crackers(stock: 0));
        var variant = product.Variants[0].Id;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await InBookAsync(async (book, _) => await book.ReceiveAsync((await book.LockAsync(variant, default))!, 6, MovementKinds.Received, new BatchDates(today.AddDays(-30), today.AddDays(3), 5_000), "test", null, null, default));
        Assert.True((await catalog.Anonymous().GetFromJsonAsync<JsonElement>($"/api/catalog/products/{product.Id}")).GetProperty("variants")[0].GetProperty("available").GetInt32() == 6);

        // Within the cooperative's warning days, the batch is listed for her and the admins.
        var expiring = (await catalog.As(member.Token).GetFromJsonAsync<ExpiringResponse>($"/api/catalog/cooperatives/{cooperative.Id}/stock/expiring", Json))!;
        Assert.Equal(14, expiring.WarningDays);
        Assert.Equal(6, Assert.Single(expiring.Batches).Batch.Remaining);

        // The day after its last day, where the cooperative is, the sweep takes it off; twice at once takes it once.
        Assert.Equal(0, await Sweeper(DateTimeOffset.UtcNow.AddDays(2)).SweepAsync(default));
        var later = DateTimeOffset.UtcNow.AddDays(5);
        var swept = await Task.WhenAll(Sweeper(later).SweepAsync(default), Sweeper(later).SweepAsync(default));
        Assert.Equal(6, swept.Sum());

        Assert.Equal(0, await OnHandAsync(variant));
        var shown = await catalog.Anonymous().GetFromJsonAsync<JsonElement>($"/api/catalog/products/{product.Id}");
        Assert.Equal(0, shown.GetProperty("variants")[0].GetProperty("available").GetInt32());
        var inStock = (await catalog.Anonymous().GetFromJsonAsync<ProductPage>($"/api/catalog/products?cooperative={cooperative.Id}&inStock=true"))!;
        Assert.DoesNotContain(inStock.Items, p => p.Id == product.Id);
        var card = (await catalog.As(member.Token).GetFromJsonAsync<StockCardResponse>($"/api/catalog/products/{product.Id}/variants/{variant}/stock-card", Json))!;
        var expired = card.Movements[0];
        Assert.Equal((MovementKinds.Expired, -6, StockBook.System), (expired.Kind, expired.Quantity, expired.By));
        Assert.Empty(await catalog.InDbAsync(db => db.Database.SqlQuery<Guid>($"SELECT variant_id AS \"Value\" FROM catalog.stock_batches WHERE variant_id = {variant} AND remaining > 0").ToListAsync()));
    }

    [Fact]
    public async Task A_cancelled_paid_order_goes_back_into_its_batches_once()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member, Requests.Crackers(stock: 0));
        var variant = product.Variants[0].Id;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var late = await ReceiveAsync(variant, 5, today.AddDays(40), 10_000);
        var soon = await ReceiveAsync(variant, 3, today.AddDays(10), 12_000);

        var order = NewId.NextGuid();
        await Bus.Publish(new ReserveStock(order, cooperative.Id, [new StockLine(variant, 4)], DateTimeOffset.UtcNow.AddMinutes(30)));
        await StatusAsync(order, ReservationStatus.Held);
        await Bus.Publish(new ConfirmStockReservation(order));
        await StatusAsync(order, ReservationStatus.Confirmed);

        // First expiring first: all 3 of the sooner batch, then 1 of the later; at their cost.
        Assert.Equal((0, 4), (await RemainingAsync(soon), await RemainingAsync(late)));
        var sold = Assert.Single(await ReviewEventsTests.PublishedAsync<StockSoldAtCost>(catalog, e => e.OrderId == order));
        Assert.Equal(new CostedLine(variant, product.Id, member.Id, 4, (3 * 12_000) + 10_000, true), Assert.Single(sold.Lines));

        // Two cancellations at once (two messages), then the first again (a redelivery): one restock.
        var cancelled = new OrderCancelled(order, cooperative.Id, "shopper", true, DateTimeOffset.UtcNow);
        Guid[] messages = [NewId.NextGuid(), NewId.NextGuid()];
        await Task.WhenAll(messages.Select(id => Bus.Publish(cancelled, c => c.MessageId = id)));
        await StatusAsync(order, ReservationStatus.Restocked);
        await Bus.Publish(cancelled, c => c.MessageId = messages[0]);
        await Eventually.TrueAsync(
            async () => await catalog.InDbAsync(db => db.Database.SqlQuery<int>(
                $"SELECT count(*)::int AS \"Value\" FROM catalog.inbox_messages WHERE message_id = ANY({messages}) AND consumer = 'RestockCancelledOrderConsumer'").SingleAsync()) == 2,
            because: "both cancellations to be handled");

        Assert.Equal((3, 5), (await RemainingAsync(soon), await RemainingAsync(late)));
        Assert.Equal(8, await OnHandAsync(variant));
        var restocked = Assert.Single(await ReviewEventsTests.PublishedAsync<StockRestockedAtCost>(catalog, e => e.OrderId == order));
        Assert.Equal(46_000, Assert.Single(restocked.Lines).CostRupiah);
        Assert.Equal(2, await catalog.InDbAsync(db => db.StockMovements.CountAsync(m => m.OrderId == order && m.Kind == MovementKinds.Restocked)));
        Assert.Empty(await MismatchesAsync());
    }

    [Fact]
    public async Task Low_stock_is_told_once_until_stock_rises_above_the_threshold_again()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member, Requests.Crackers(stock: 10));
        var variant = product.Variants[0].Id;
        var client = catalog.As(member.Token);
        var admin = catalog.As(TestTokens.CooperativeAdmin(cooperative.Id));
        (await client.PutAsJsonAsync($"/api/catalog/products/{product.Id}/variants/{variant}/low-stock", new { threshold = 5 })).EnsureSuccessStatusCode();
        Task<List<StockRunningLow>> WarningsAsync() => ReviewEventsTests.PublishedAsync<StockRunningLow>(catalog, e => e.VariantId == variant);

        async Task CountAsync(int counted) =>
            (await admin.PostAsJsonAsync($"/api/catalog/cooperatives/{cooperative.Id}/stock-counts", new { lines = new[] { new { variantId = variant, counted } } })).EnsureSuccessStatusCode();

        await CountAsync(6);
        Assert.Empty(await WarningsAsync());
        await CountAsync(5);
        await CountAsync(4);
        var warning = Assert.Single(await WarningsAsync());
        Assert.Equal((5, 5, member.Id, "Kerupuk Ikan Tenggiri"), (warning.OnHand, warning.Threshold, warning.MemberId, warning.ProductName));
        var mine = await client.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{product.Id}/manage");
        Assert.True(mine.GetProperty("variants")[0].GetProperty("lowStock").GetBoolean());

        await CountAsync(9);
        await CountAsync(2);
        Assert.Equal([5, 2], (await WarningsAsync()).Select(w => w.OnHand));

        // A count's differences are counted movements, and someone else's admin may not count.
        var card = (await client.GetFromJsonAsync<StockCardResponse>($"/api/catalog/products/{product.Id}/variants/{variant}/stock-card", Json))!;
        Assert.Equal(2 - 10, card.Movements.Where(m => m.Kind == MovementKinds.Counted).Sum(m => m.Quantity));
        Assert.Equal(2, card.Movements[0].OnHandAfter);
        var stranger = catalog.As(TestTokens.CooperativeAdmin((await catalog.NewCooperativeAsync()).Id));
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"/api/catalog/cooperatives/{cooperative.Id}/stock-counts", new { lines = new[] { new { variantId = variant, counted = 0 } } })).StatusCode);
    }

    [Fact]
    public async Task Setting_stock_by_hand_is_an_adjusted_movement_with_its_reason()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member, Requests.Crackers(stock: 10));
        var variant = product.Variants[0].Id;
        (await catalog.As(member.Token).PutAsJsonAsync($"/api/catalog/products/{product.Id}/variants/{variant}/stock", new { onHand = 7, reason = "dimakan tikus" })).EnsureSuccessStatusCode();

        var card = (await catalog.As(member.Token).GetFromJsonAsync<StockCardResponse>($"/api/catalog/products/{product.Id}/variants/{variant}/stock-card", Json))!;
        Assert.Equal([(MovementKinds.Adjusted, -3, "dimakan tikus"), (MovementKinds.Received, 10, (string?)null)], card.Movements.Select(m => (m.Kind, m.Quantity, m.Reason)));
        // Her change is hers, as her token names her; the goods were received by the admin.
        Assert.NotEqual(card.Movements[1].By, card.Movements[0].By);
        Assert.True(Guid.TryParse(card.Movements[0].By, out _));
    }

    private BatchExpirySweep Sweeper(DateTimeOffset now) => new(
        catalog.Host.GetRequired<IServiceScopeFactory>(), Options.Create(new BatchExpiryOptions()), new FixedClock(now), NullLogger<BatchExpirySweep>.Instance);

    private async Task<Guid> ReceiveAsync(Guid variant, int quantity, DateOnly expiresOn, long cost)
    {
        var batch = Guid.Empty;
        await InBookAsync(async (book, _) => batch = await book.ReceiveAsync((await book.LockAsync(variant, default))!, quantity, MovementKinds.Received, new BatchDates(null, expiresOn, cost), "test", null, null, default));
        return batch;
    }

    private async Task InBookAsync(Func<StockBook, Data.CatalogDbContext, Task> work)
    {
        await using var scope = catalog.Host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.CatalogDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await work(scope.ServiceProvider.GetRequiredService<StockBook>(), db);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    private async Task<List<StockMismatch>> MismatchesAsync()
    {
        await using var scope = catalog.Host.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<StockBook>().MismatchesAsync(default);
    }

    private Task<int> OnHandAsync(Guid variant) => catalog.InDbAsync(db => db.Variants.AsNoTracking().Where(v => v.Id == variant).Select(v => v.OnHand).SingleAsync());

    private Task<int> RemainingAsync(Guid batch) => catalog.InDbAsync(db => db.StockBatches.AsNoTracking().Where(b => b.Id == batch).Select(b => b.Remaining).SingleAsync());

    private Task StatusAsync(Guid order, ReservationStatus status) =>
        Eventually.TrueAsync(async () => await catalog.InDbAsync(db => db.StockReservations.AnyAsync(r => r.OrderId == order && r.Status == status)), because: $"the reservation to be {status}");

    private static async Task<Dictionary<string, string[]>> FieldCodesAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("fieldCodes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(c => c.GetString() ?? "").ToArray());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }
}
