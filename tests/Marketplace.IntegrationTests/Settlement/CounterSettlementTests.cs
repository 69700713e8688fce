using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.Orders.Settlement.Data;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>What the kiosk's counter and tills post, fed the messages Orders and Catalog publish, in any order and more than once.</summary>
public sealed class CounterSettlementTests(SettlementHost host) : IClassFixture<SettlementHost>
{
    [Fact]
    public async Task A_till_difference_posts_only_its_change_and_an_older_revision_changes_nothing()
    {
        var cooperative = Guid.NewGuid();
        var session = Guid.NewGuid();
        TillDifferenceRecorded Revision(int revision, long difference) => new(session, cooperative, revision, difference, null, "kasir", DateTimeOffset.UtcNow);

        await host.PublishAsync(Revision(2, -3_000), Guid.NewGuid());
        await TillRevisionPostedAsync(session, 2);
        // Revision 1 overtaken by revision 2, and revision 2 published a second time: neither moves the books.
        Guid[] ignored = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        await host.PublishAsync(Revision(1, -9_000), ignored[0]);
        await host.PublishAsync(Revision(2, -3_000), ignored[1]);
        await host.PublishAsync(Revision(3, 4_000), Guid.NewGuid());
        await TillRevisionPostedAsync(session, 3);
        var moved = new TillCashMoved(Guid.NewGuid(), cooperative, session, -12_500, "beli kantong", "kasir", DateTimeOffset.UtcNow);
        await host.PublishAsync(moved, Guid.NewGuid());
        await host.PublishAsync(moved, ignored[2]);
        await HandledAsync(ignored);

        var trial = await host.Admin(cooperative, Guid.NewGuid()).GetFromJsonAsync<JsonElement>($"/api/settlement/cooperatives/{cooperative}/trial-balance");
        long Balance(string account) => trial.EnumerateArray().Where(b => b.GetProperty("account").GetString() == account).Sum(b => b.GetProperty("balanceRupiah").GetInt64());
        Assert.Equal(3, await host.EntriesAsync(cooperative));
        Assert.Equal((4_000L - 12_500L, -4_000L, 12_500L), (Balance("received:cash"), Balance("till:difference"), Balance("till:paid-out")));
    }

    [Fact]
    public async Task Goods_returned_over_the_counter_take_their_cost_off_once_per_refund_in_the_month_of_the_sale()
    {
        var cooperative = Guid.NewGuid();
        var order = Guid.NewGuid();
        var member = Guid.NewGuid();
        var variant = Guid.NewGuid();
        var product = Guid.NewGuid();
        var soldAt = DateTimeOffset.UtcNow.AddDays(-1);
        await host.PublishAsync(new OrderPaid(order, cooperative, PaymentChannel.Cash, null,
            [new SoldLine(Guid.NewGuid(), member, product, variant, "kerupuk", "Kerupuk", 3, 20_000, 60_000, 10m)], 0, 60_000, soldAt), Guid.NewGuid());
        await host.PublishAsync(new StockSoldAtCost(order, cooperative, [new CostedLine(variant, product, member, 3, 36_000, true)], soldAt), Guid.NewGuid());
        var firstRefund = Guid.NewGuid();
        var returned = new StockReturnedAtCost(order, firstRefund, cooperative, [new CostedLine(variant, product, member, 1, 12_000, true)], DateTimeOffset.UtcNow);
        await host.PublishAsync(returned, Guid.NewGuid());
        // Published again under a new id (slipped past the inbox), and a second return of the same size.
        var again = Guid.NewGuid();
        await host.PublishAsync(returned, again);
        await host.PublishAsync(returned with { RefundId = Guid.NewGuid() }, Guid.NewGuid());

        var costs = await Eventually.GetAsync(async () =>
        {
            await using var scope = host.Orders.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<SettlementDbContext>().GoodsCosts.AsNoTracking().Where(c => c.OrderId == order).ToListAsync();
        }, c => c.Count == 3, TimeSpan.FromSeconds(30), "the sale and both returns to be costed");
        await HandledAsync([again]);

        Assert.Equal(12_000, costs.Sum(c => c.CostRupiah));
        Assert.Equal(1, costs.Sum(c => c.Quantity));
        Assert.All(costs, c => Assert.Equal(soldAt.ToUnixTimeMilliseconds(), c.SoldAt.ToUnixTimeMilliseconds()));
    }

    /// <summary>Waits until settlement has handled these messages (their ids are in its inbox), so what they changed is there to see.</summary>
    private async Task HandledAsync(Guid[] messageIds) =>
        await Eventually.TrueAsync(async () =>
        {
            await using var scope = host.Orders.CreateScope();
            var inbox = scope.ServiceProvider.GetRequiredService<SettlementDbContext>().Set<Marketplace.ServiceDefaults.Messaging.InboxMessage>();
            return await inbox.Select(m => m.MessageId).Where(id => messageIds.Contains(id)).Distinct().CountAsync() == messageIds.Length;
        }, TimeSpan.FromSeconds(30), "settlement to handle the repeated messages");

    private async Task TillRevisionPostedAsync(Guid session, int revision) =>
        await Eventually.TrueAsync(async () =>
        {
            await using var scope = host.Orders.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<SettlementDbContext>().TillDifferences.AnyAsync(t => t.TillSessionId == session && t.Revision == revision);
        }, TimeSpan.FromSeconds(30), $"revision {revision} to be posted");
}
