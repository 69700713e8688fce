using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using Marketplace.Catalog.Data;
using Marketplace.Orders;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

public sealed class CatalogToOrdersTests
{
    [Fact]
    public async Task A_cooperative_registered_in_Catalog_reaches_Orders_through_the_outbox()
    {
        var scope = await TestScope.CreateAsync();
        await using var services = await CatalogAndOrders.StartAsync(scope);

        var cooperative = await services.RegisterCooperativeAsync("koperasi-binor");

        var name = await Eventually.GetAsync(() => services.MerchantNameInOrdersAsync(cooperative.Id), n => n is not null, because: "Orders to learn of the cooperative");
        Assert.Equal("Koperasi Wanita Binor Sejahtera", name);
    }

    [Fact]
    public async Task A_message_delivered_twice_is_consumed_once_and_an_old_redelivery_changes_nothing()
    {
        var scope = await TestScope.CreateAsync();
        await using var services = await CatalogAndOrders.StartAsync(scope);
        using var duplicates = new DuplicateCounter("CooperativeUpdatedConsumer");

        var cooperative = await services.RegisterCooperativeAsync("koperasi-pesisir");
        var admin = services.Catalog.CreateClient().WithToken(TestTokens.CooperativeAdmin(cooperative.Id));
        (await admin.PutAsJsonAsync($"/api/catalog/cooperatives/{cooperative.Id}/name", new { name = "Nama Kedua" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/catalog/cooperatives/{cooperative.Id}/name", new { name = "Nama Ketiga" })).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(async () => await services.MerchantNameInOrdersAsync(cooperative.Id) == "Nama Ketiga", because: "both renames to arrive");

        // The broker delivers the first rename again, with its original message id, after the second.
        await using (var catalogScope = services.Catalog.CreateScope())
        {
            var db = catalogScope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            var firstRename = await db.Set<OutboxMessage>()
                .Where(m => m.MessageType.StartsWith("Marketplace.Contracts.Catalog.CooperativeUpdated"))
                .OrderBy(m => m.Sequence)
                .Select(m => m.Sequence)
                .FirstAsync();
            await db.Database.ExecuteSqlAsync($"UPDATE catalog.outbox_messages SET dispatched_at = NULL WHERE sequence = {firstRename}");
        }

        await Eventually.TrueAsync(() => Task.FromResult(duplicates.Count >= 1), because: "Orders to receive the redelivered rename");
        Assert.Equal("Nama Ketiga", await services.MerchantNameInOrdersAsync(cooperative.Id));
        await using var ordersScope = services.Orders.CreateScope();
        var inbox = await ordersScope.ServiceProvider.GetRequiredService<OrdersDbContext>().Set<InboxMessage>().CountAsync();
        Assert.Equal(3, inbox);
    }

    [Fact]
    public async Task Orders_keeps_a_current_copy_of_what_is_on_sale_from_Catalogs_messages()
    {
        var scope = await TestScope.CreateAsync();
        await using var services = await CatalogAndOrders.StartAsync(scope);
        var cooperative = await services.RegisterCooperativeAsync("koperasi-salinan");
        var memberId = Guid.NewGuid();
        await services.Catalog.Services.GetRequiredService<MassTransit.IBus>()
            .Publish(new Marketplace.Contracts.Gateway.MemberJoined(memberId, Guid.NewGuid(), cooperative.Id, "Ibu Salinan", null, DateTimeOffset.UtcNow));
        var member = services.Catalog.CreateClient().WithToken(TestTokens.Member(cooperative.Id, memberId));
        var admin = services.Catalog.CreateClient().WithToken(TestTokens.CooperativeAdmin(cooperative.Id));
        var create = await Eventually.GetAsync(
            () => member.PostAsJsonAsync("/api/catalog/products", new
            {
                category = "kerajinan",
                listing = new { nameId = "Tas Pandan", descriptionId = "Tas anyaman pandan." },
                variants = new[] { new { sku = "TAS-1", label = "Sedang", priceRupiah = 85_000, weightGrams = 400 } },
            }),
            r => r.StatusCode == System.Net.HttpStatusCode.Created,
            because: "the member to be known to Catalog");
        var product = (await create.Content.ReadFromJsonAsync<Catalog.Products.ManagedProductResponse>())!;
        (await member.PostAsync(new Uri($"/api/catalog/products/{product.Id}/submit", UriKind.Relative), null)).EnsureSuccessStatusCode();
        (await admin.PostAsync(new Uri($"/api/catalog/products/{product.Id}/approve", UriKind.Relative), null)).EnsureSuccessStatusCode();

        async Task<Orders.Sellables.Sellable?> CopyAsync()
        {
            await using var ordersScope = services.Orders.CreateScope();
            return await ordersScope.ServiceProvider.GetRequiredService<OrdersDbContext>().Sellables.AsNoTracking().FirstOrDefaultAsync(s => s.ProductId == product.Id);
        }

        var onSale = await Eventually.GetAsync(CopyAsync, s => s is { OnSale: true }, because: "Orders to learn of the product");
        Assert.Equal(85_000, Assert.Single(onSale!.Variants).PriceRupiah);

        (await member.PutAsJsonAsync($"/api/catalog/products/{product.Id}/variants/{product.Variants[0].Id}/price", new { priceRupiah = 90_000 })).EnsureSuccessStatusCode();
        await Eventually.GetAsync(CopyAsync, s => s!.Variants[0].PriceRupiah == 90_000, because: "the new price");

        (await member.PostAsync(new Uri($"/api/catalog/products/{product.Id}/archive", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var withdrawn = await Eventually.GetAsync(CopyAsync, s => s is { OnSale: false }, because: "the withdrawal");
        Assert.Equal(90_000, withdrawn!.Variants[0].PriceRupiah);
    }

    /// <summary>Counts the inbox's skipped duplicates for one consumer, from the service's own metric.</summary>
    private sealed class DuplicateCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private int _count;

        public DuplicateCounter(string consumer)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MessagingTelemetry.MeterName && instrument.Name == "marketplace.inbox.duplicates")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "messaging.consumer.name" && (string?)tag.Value == consumer)
                    {
                        Interlocked.Add(ref _count, (int)value);
                    }
                }
            });
            _listener.Start();
        }

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
