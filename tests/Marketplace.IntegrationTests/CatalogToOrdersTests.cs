using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using Marketplace.Catalog.Data;
using Marketplace.Orders.Data;
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
