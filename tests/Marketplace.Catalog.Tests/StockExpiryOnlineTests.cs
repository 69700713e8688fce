using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Marketplace.Catalog.Deliveries;
using Marketplace.Catalog.Stock;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Catalog.Tests;

/// <summary>
/// Expired goods are never sold online, even between the hourly expiry sweeps: not held, not shown as available, not
/// taken for an order held before they expired, and not put on the shelf when they arrive already past their date.
/// </summary>
public sealed class StockExpiryOnlineTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    private IBus Bus => catalog.Host.Services.GetRequiredService<IBus>();

    private static DateOnly Today => LocalTime.Today(DateTimeOffset.UtcNow, Cooperatives.Cooperative.DefaultTimeZone);

    [Fact]
    public async Task An_expired_batch_not_yet_swept_is_neither_shown_available_nor_held_online()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member, Requests.Crackers(stock: 0));
        var variant = product.Variants[0].Id;
        await ReceiveAsync(variant, 4, Today.AddDays(-1));
        await ReceiveAsync(variant, 2, Today.AddDays(30));

        // Six on hand until the sweep comes, but only the two good ones are offered.
        Assert.Equal(6, await catalog.InDbAsync(db => db.Variants.Where(v => v.Id == variant).Select(v => v.OnHand).SingleAsync()));
        var shown = await catalog.Anonymous().GetFromJsonAsync<JsonElement>($"/api/catalog/products/{product.Id}");
        Assert.Equal(2, shown.GetProperty("variants")[0].GetProperty("available").GetInt32());

        var tooMany = NewId.NextGuid();
        await Bus.Publish(new ReserveStock(tooMany, cooperative.Id, [new StockLine(variant, 3)], DateTimeOffset.UtcNow.AddMinutes(30)));
        await StatusAsync(tooMany, ReservationStatus.Refused);
        var refusal = Assert.Single(await ReviewEventsTests.PublishedAsync<StockReservationRefused>(catalog, e => e.OrderId == tooMany));
        Assert.Equal((2, "insufficient_stock"), (Assert.Single(refusal.Shortages).Available, Assert.Single(refusal.Shortages).Reason));

        var good = NewId.NextGuid();
        await Bus.Publish(new ReserveStock(good, cooperative.Id, [new StockLine(variant, 2)], DateTimeOffset.UtcNow.AddMinutes(30)));
        await StatusAsync(good, ReservationStatus.Held);
        await Bus.Publish(new ConfirmStockReservation(good));
        await StatusAsync(good, ReservationStatus.Confirmed);

        // The sale came from the good batch; the expired one waits for the sweep, untouched.
        var sold = await catalog.InDbAsync(db => db.StockMovements.AsNoTracking().Where(m => m.OrderId == good)
            .Join(db.StockBatches, m => m.BatchId, b => b.Id, (m, b) => new { m.Kind, m.Quantity, b.ExpiresOn }).ToListAsync());
        Assert.Equal((MovementKinds.SoldOnline, -2, Today.AddDays(30)), Assert.Single(sold.Select(s => (s.Kind, s.Quantity, s.ExpiresOn!.Value))));
        shown = await catalog.Anonymous().GetFromJsonAsync<JsonElement>($"/api/catalog/products/{product.Id}");
        Assert.Equal(0, shown.GetProperty("variants")[0].GetProperty("available").GetInt32());
    }

    [Fact]
    public async Task An_order_held_before_its_batch_expired_fails_its_confirmation_instead_of_selling_expired_goods()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member, Requests.Crackers(stock: 0));
        var variant = product.Variants[0].Id;
        var batch = await ReceiveAsync(variant, 3, Today.AddDays(2));

        var order = NewId.NextGuid();
        await Bus.Publish(new ReserveStock(order, cooperative.Id, [new StockLine(variant, 3)], DateTimeOffset.UtcNow.AddMinutes(30)));
        await StatusAsync(order, ReservationStatus.Held);

        // Days pass while the order waits for its payment (a pay-at-kiosk order, a slow transfer): the batch expires,
        // and the sweep has not come by yet.
        await catalog.InDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE catalog.stock_batches SET expires_on = {Today.AddDays(-1)} WHERE id = {batch}"));
        await Bus.Publish(new ConfirmStockReservation(order));
        await StatusAsync(order, ReservationStatus.ConfirmationFailed);

        // Orders is told, as for a late payment whose goods are gone: it cancels the order and refunds it in full.
        var failed = Assert.Single(await ReviewEventsTests.PublishedAsync<StockConfirmationFailed>(catalog, e => e.OrderId == order));
        Assert.Equal((variant, 3, 0), (Assert.Single(failed.Shortages).VariantId, failed.Shortages[0].Requested, failed.Shortages[0].Available));
        Assert.Empty(await ReviewEventsTests.PublishedAsync<StockSoldAtCost>(catalog, e => e.OrderId == order));
        Assert.False(await catalog.InDbAsync(db => db.StockMovements.AnyAsync(m => m.OrderId == order)));
        var stock = await catalog.InDbAsync(db => db.Variants.AsNoTracking().Where(v => v.Id == variant).Select(v => new { v.OnHand, v.Reserved }).SingleAsync());
        Assert.Equal((3, 0), (stock.OnHand, stock.Reserved));

        // A redelivered confirmation changes nothing.
        await Bus.Publish(new ConfirmStockReservation(order));
        await Eventually.TrueAsync(async () => (await ReviewEventsTests.PublishedAsync<StockConfirmationFailed>(catalog, e => e.OrderId == order)).Count == 2, because: "the second answer");
        Assert.False(await catalog.InDbAsync(db => db.StockMovements.AnyAsync(m => m.OrderId == order)));
    }

    [Fact]
    public async Task Goods_past_their_expiry_when_they_reach_the_kiosk_are_not_put_on_sale_and_none_may_be_accepted()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member, Requests.Crackers(stock: 0));
        var variant = product.Variants[0].Id;
        var admin = catalog.As(TestTokens.CooperativeAdmin(cooperative.Id));
        var announced = await catalog.As(member.Token).PostAsJsonAsync("/api/catalog/deliveries", new
        {
            lines = new object[]
            {
                new { variantId = variant, quantity = 5, expiresOn = Today.AddDays(1), costPerUnitRupiah = 9_000 },
                new { variantId = variant, quantity = 4, expiresOn = Today.AddDays(90), costPerUnitRupiah = 9_000 },
            },
        });
        Assert.Equal(HttpStatusCode.Created, announced.StatusCode);
        var delivery = (await announced.Content.ReadFromJsonAsync<DeliveryResponse>(Json))!;

        // Announced in time, brought to the kiosk after the first line's last day.
        await catalog.InDbAsync(db => db.Database.ExecuteSqlAsync(
            $"UPDATE catalog.delivery_lines SET expires_on = {Today.AddDays(-1)} WHERE delivery_id = {delivery.Id} AND line_no = 1"));
        var refused = await admin.PostAsJsonAsync($"/api/catalog/deliveries/{delivery.Id}/receive", new
        {
            lines = new object[] { new { lineNo = 1, accepted = 5 }, new { lineNo = 2, accepted = 4 } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var codes = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fieldCodes");
        Assert.Equal("expired_at_receipt", codes.GetProperty("lines[0].accepted")[0].GetString());
        Assert.False(codes.TryGetProperty("lines[1].accepted", out _));
        Assert.Equal(0, await OnHandAsync(variant));

        // Every line refused (the good one too, say the boxes got wet): received, nothing on the shelf, no batch, no movement.
        var none = await admin.PostAsJsonAsync($"/api/catalog/deliveries/{delivery.Id}/receive", new
        {
            lines = new object[] { new { lineNo = 1, accepted = 0, reason = "sudah kedaluwarsa" }, new { lineNo = 2, accepted = 0, reason = "kardus basah" } },
        });
        Assert.Equal(HttpStatusCode.OK, none.StatusCode);
        var received = (await none.Content.ReadFromJsonAsync<DeliveryResponse>(Json))!;
        Assert.Equal(DeliveryStatus.Received, received.Status);
        Assert.All(received.Lines, l => Assert.Equal((0, (Guid?)null), (l.Accepted!.Value, l.BatchId)));
        Assert.Equal(["sudah kedaluwarsa", "kardus basah"], received.Lines.Select(l => l.Reason));
        Assert.Equal(0, await OnHandAsync(variant));
        Assert.False(await catalog.InDbAsync(db => db.StockBatches.AnyAsync(b => b.VariantId == variant)));
        Assert.False(await catalog.InDbAsync(db => db.StockMovements.AnyAsync(m => m.VariantId == variant)));
        var pdf = await admin.GetAsync(new Uri($"/api/catalog/deliveries/{delivery.Id}/receipt.pdf", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
    }

    [Fact]
    public void Only_a_held_reservation_can_fail_its_confirmation_because_its_goods_expired()
    {
        var now = new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
        StockReservation Held() => StockReservation.Hold(Guid.NewGuid(), Guid.NewGuid(), [new StockLine(Guid.NewGuid(), 2)], now.AddMinutes(30), now);

        var held = Held();
        held.FailHeldConfirmation(now.AddMinutes(5));
        Assert.Equal((ReservationStatus.ConfirmationFailed, now.AddMinutes(5)), (held.Status, held.ClosedAt!.Value));
        // Closed once: failing again, or confirming it after all, is refused.
        Assert.Throws<Marketplace.ServiceDefaults.Errors.ConflictException>(() => held.FailHeldConfirmation(now.AddMinutes(6)));
        Assert.Throws<Marketplace.ServiceDefaults.Errors.ConflictException>(() => held.Confirm(now.AddMinutes(6)));
        var confirmed = Held();
        confirmed.Confirm(now.AddMinutes(1));
        Assert.Throws<Marketplace.ServiceDefaults.Errors.ConflictException>(() => confirmed.FailHeldConfirmation(now.AddMinutes(2)));
        Assert.Equal(ReservationStatus.Confirmed, confirmed.Status);
    }

    private async Task<Guid> ReceiveAsync(Guid variant, int quantity, DateOnly expiresOn)
    {
        await using var scope = catalog.Host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.CatalogDbContext>();
        var book = scope.ServiceProvider.GetRequiredService<StockBook>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var batch = await book.ReceiveAsync((await book.LockAsync(variant, default))!, quantity, MovementKinds.Received, new BatchDates(null, expiresOn, 5_000), "test", null, null, default);
        await transaction.CommitAsync();
        return batch;
    }

    private Task<int> OnHandAsync(Guid variant) => catalog.InDbAsync(db => db.Variants.AsNoTracking().Where(v => v.Id == variant).Select(v => v.OnHand).SingleAsync());

    private Task StatusAsync(Guid order, ReservationStatus status) =>
        Eventually.TrueAsync(async () => await catalog.InDbAsync(db => db.StockReservations.AnyAsync(r => r.OrderId == order && r.Status == status)), because: $"the reservation to be {status}");
}
