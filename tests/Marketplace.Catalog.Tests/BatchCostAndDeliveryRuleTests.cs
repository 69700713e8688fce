using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Catalog.Stock;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Catalog.Tests;

/// <summary>A batch received without a cost gets one, once; food brought to the kiosk says when it expires.</summary>
public sealed class BatchCostAndDeliveryRuleTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    private static DateOnly Today => LocalTime.Today(DateTimeOffset.UtcNow, Cooperatives.Cooperative.DefaultTimeZone);

    [Fact]
    public async Task A_member_records_the_cost_of_a_batch_that_has_none_once_and_later_sales_count_it()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member, Requests.Crackers(stock: 0));
        var variant = product.Variants[0].Id;
        // Stock from before the stock card: an undated batch nobody gave a cost.
        Guid batch;
        await using (var scope = catalog.Host.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.CatalogDbContext>();
            var book = scope.ServiceProvider.GetRequiredService<StockBook>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            batch = await book.ReceiveAsync((await book.LockAsync(variant, default))!, 6, MovementKinds.Received, BatchDates.None, StockBook.System, "opening stock", null, default);
            await transaction.CommitAsync();
        }

        var cost = $"/api/catalog/products/{product.Id}/variants/{variant}/batches/{batch}/cost";
        var her = catalog.As(member.Token);
        var other = await catalog.NewMemberAsync(cooperative.Id, "Ibu Sri Wahyuni");
        Assert.Equal(HttpStatusCode.NotFound, (await catalog.As(other.Token).PutAsJsonAsync(cost, new { costPerUnitRupiah = 1 })).StatusCode);
        var invalid = await her.PutAsJsonAsync(cost, new { costPerUnitRupiah = -5 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("invalid_cost", (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fieldCodes").GetProperty("costPerUnitRupiah")[0].GetString());

        var saved = await her.PutAsJsonAsync(cost, new { costPerUnitRupiah = 8_000 });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(8_000, (await saved.Content.ReadFromJsonAsync<BatchResponse>())!.CostPerUnitRupiah);

        // Once: a second cost, even the admin's, is refused and the first stays.
        var again = await catalog.As(TestTokens.CooperativeAdmin(cooperative.Id)).PutAsJsonAsync(cost, new { costPerUnitRupiah = 9_000 });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(8_000, await catalog.InDbAsync(db => db.StockBatches.Where(b => b.Id == batch).Select(b => b.CostPerUnitRupiah).SingleAsync()));

        // Audited like every other stock action.
        var trail = await catalog.As(TestTokens.CooperativeAdmin(cooperative.Id)).GetFromJsonAsync<JsonElement>($"/api/catalog/audit?cooperativeId={cooperative.Id}&action=stock.cost-set");
        var entry = Assert.Single(trail.GetProperty("entries").EnumerateArray());
        Assert.Equal(8_000, entry.GetProperty("after").GetProperty("costPerUnitRupiah").GetInt64());

        // A sale from it now counts its cost.
        var order = NewId.NextGuid();
        var bus = catalog.Host.Services.GetRequiredService<IBus>();
        await bus.Publish(new ReserveStock(order, cooperative.Id, [new StockLine(variant, 2)], DateTimeOffset.UtcNow.AddMinutes(30)));
        await Eventually.TrueAsync(async () => await catalog.InDbAsync(db => db.StockReservations.AnyAsync(r => r.OrderId == order && r.Status == ReservationStatus.Held)), because: "the hold");
        await bus.Publish(new ConfirmStockReservation(order));
        var sold = await Eventually.GetAsync(() => ReviewEventsTests.PublishedAsync<StockSoldAtCost>(catalog, e => e.OrderId == order), s => s.Count == 1, because: "the sale at cost");
        Assert.Equal((16_000L, true), (Assert.Single(sold[0].Lines).CostRupiah, sold[0].Lines[0].CostKnown));
    }

    [Fact]
    public async Task Food_brought_to_the_kiosk_needs_its_expiry_date_and_crafts_do_not()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var crackers = (await catalog.PublishedProductAsync(member, Requests.Crackers(stock: 0))).Variants[0].Id;
        var bag = (await catalog.PublishedProductAsync(member, new
        {
            category = "kerajinan",
            listing = new { nameId = "Tas Anyaman Pandan", descriptionId = "Tas anyaman daun pandan buatan tangan." },
            variants = new[] { new { sku = "TAS-" + Guid.NewGuid().ToString("N")[..6], label = "Sedang", priceRupiah = 85_000, weightGrams = 400 } },
        })).Variants[0].Id;
        var her = catalog.As(member.Token);

        var undated = await her.PostAsJsonAsync("/api/catalog/deliveries", new
        {
            lines = new object[] { new { variantId = crackers, quantity = 10 }, new { variantId = bag, quantity = 3 } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, undated.StatusCode);
        var codes = (await undated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fieldCodes");
        Assert.Equal("expiry_required", codes.GetProperty("lines[0].expiresOn")[0].GetString());
        Assert.False(codes.TryGetProperty("lines[1].expiresOn", out _));

        var dated = await her.PostAsJsonAsync("/api/catalog/deliveries", new
        {
            lines = new object[] { new { variantId = crackers, quantity = 10, expiresOn = Today.AddDays(90) }, new { variantId = bag, quantity = 3 } },
        });
        Assert.Equal(HttpStatusCode.Created, dated.StatusCode);
    }
}
