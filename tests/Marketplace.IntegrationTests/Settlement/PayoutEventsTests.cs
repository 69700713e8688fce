using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.Orders.Settlement.Data;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>
/// What payouts tell people: the admins that a batch waits for a second approval, each member that her money was paid.
/// Settlement's own outbox, in Orders' process next to Orders' outbox, delivers them to the broker.
/// </summary>
public sealed class PayoutEventsTests(SettlementHost host) : IClassFixture<SettlementHost>
{
    [Fact]
    public async Task A_prepared_batch_asks_for_approval_once_and_each_paid_line_tells_its_member_once()
    {
        var cooperative = Guid.NewGuid();
        var siti = Guid.NewGuid();
        var ani = Guid.NewGuid();
        await JoinAsync(cooperative, siti, "Siti Aminah");
        await JoinAsync(cooperative, ani, "Ani Rahayu");
        await SellAndHandOverAsync(cooperative, siti, 75_000, expectedEntries: 2);
        await SellAndHandOverAsync(cooperative, ani, 40_000, expectedEntries: 4);
        var heard = new ConcurrentQueue<object>();
        var handle = host.Orders.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint("test-payout-events-" + Guid.NewGuid().ToString("N")[..8], e =>
        {
            e.Handler<PayoutBatchAwaitingApproval>(context =>
            {
                heard.Enqueue(context.Message);
                return Task.CompletedTask;
            });
            e.Handler<PayoutPaid>(context =>
            {
                heard.Enqueue(context.Message);
                return Task.CompletedTask;
            });
        });
        await handle.Ready;
        var preparer = Guid.NewGuid();
        var first = host.Admin(cooperative, preparer);
        var second = host.Admin(cooperative, Guid.NewGuid());

        var prepared = await first.PostAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/payout-batches", new { minimumRupiah = 0 });
        Assert.Equal(HttpStatusCode.Created, prepared.StatusCode);
        var batch = (await prepared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await second.PostAsync(new Uri($"/api/settlement/payout-batches/{batch}/approve", UriKind.Relative), null)).EnsureSuccessStatusCode();
        (await first.PostAsJsonAsync($"/api/settlement/payout-batches/{batch}/members/{siti}/paid", new { reference = "TRF-20261201-01" })).EnsureSuccessStatusCode();
        (await first.PostAsJsonAsync($"/api/settlement/payout-batches/{batch}/members/{ani}/failed", new { reference = "Rekening ditutup" })).EnsureSuccessStatusCode();
        var again = await first.PostAsJsonAsync($"/api/settlement/payout-batches/{batch}/members/{siti}/paid", new { reference = "TRF-20261201-01" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        // Written once each, in the transaction that moved the money; a failed transfer tells her nothing yet.
        var awaiting = Assert.Single(await OwedAsync<PayoutBatchAwaitingApproval>(m => m.BatchId == batch));
        Assert.Equal((cooperative, preparer, 2, 67_500L + 36_000L), (awaiting.CooperativeId, awaiting.PreparedBy, awaiting.MemberCount, awaiting.TotalRupiah));
        var paid = Assert.Single(await OwedAsync<PayoutPaid>(m => m.BatchId == batch));
        Assert.Equal((cooperative, siti, 67_500L), (paid.CooperativeId, paid.MemberId, paid.AmountRupiah));

        // Delivered by Settlement's own dispatcher, through RabbitMQ.
        await Eventually.TrueAsync(
            () => Task.FromResult(heard.OfType<PayoutBatchAwaitingApproval>().Any(m => m.BatchId == batch) && heard.OfType<PayoutPaid>().Any(m => m.BatchId == batch)),
            because: "the batch's messages to reach a consumer");
        await Eventually.TrueAsync(async () => await UndispatchedAsync() == 0, because: "Settlement's outbox to be marked delivered");
        await handle.StopAsync();
    }

    [Fact]
    public async Task A_batch_with_nobody_to_pay_asks_nobody_to_approve_it()
    {
        var cooperative = Guid.NewGuid();
        var prepared = await host.Admin(cooperative, Guid.NewGuid()).PostAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/payout-batches", new { minimumRupiah = 0 });
        Assert.Equal(HttpStatusCode.Created, prepared.StatusCode);
        var batch = (await prepared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        Assert.Empty(await OwedAsync<PayoutBatchAwaitingApproval>(m => m.BatchId == batch));
    }

    private async Task<List<T>> OwedAsync<T>(Func<T, bool> which)
        where T : class
    {
        var type = typeof(T).FullName + ",";
        await using var scope = host.Orders.CreateScope();
        var bodies = await scope.ServiceProvider.GetRequiredService<SettlementDbContext>().Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.MessageType.StartsWith(type)).OrderBy(m => m.Sequence).Select(m => m.Body).ToListAsync();
        return bodies.Select(body => JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web)!).Where(which).ToList();
    }

    private async Task<int> UndispatchedAsync()
    {
        await using var scope = host.Orders.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<SettlementDbContext>().Set<OutboxMessage>().CountAsync(m => m.DispatchedAt == null);
    }

    private async Task JoinAsync(Guid cooperative, Guid member, string name)
    {
        await host.PublishAsync(new MemberUpdated(member, cooperative, name, string.Empty, "active", 1, DateTimeOffset.UtcNow), Guid.NewGuid());
        await Eventually.TrueAsync(
            async () =>
            {
                await using var scope = host.Orders.CreateScope();
                return await scope.ServiceProvider.GetRequiredService<SettlementDbContext>().Members.AnyAsync(m => m.MemberId == member && m.CooperativeId == cooperative);
            },
            because: "Settlement to learn of the member");
    }

    private async Task SellAndHandOverAsync(Guid cooperative, Guid member, long total, int expectedEntries)
    {
        var order = Guid.NewGuid();
        var line = new SoldLine(Guid.NewGuid(), member, Guid.NewGuid(), Guid.NewGuid(), "kerupuk", "Kerupuk", 1, total, total, 10m);
        await host.PublishAsync(new OrderPaid(order, cooperative, PaymentChannel.Cash, null, [line], 0, total, DateTimeOffset.UtcNow), Guid.NewGuid());
        await host.PublishAsync(new OrderLinesFulfilled(order, cooperative, [new FulfilledLine(line.OrderLineId, member, 1)], "handed_over", DateTimeOffset.UtcNow), Guid.NewGuid());
        await Eventually.TrueAsync(async () => await host.EntriesAsync(cooperative) == expectedEntries, because: "the sale and the hand-over to be posted");
    }
}
