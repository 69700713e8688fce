using System.Text.Json;
using Marketplace.Contracts.Orders;
using Marketplace.Testing;

namespace Marketplace.IntegrationTests;

/// <summary>What reached the shopper is hers to review: she is invited on WhatsApp, in her language, once.</summary>
public sealed class ReviewInvitationTests(NotificationsHost host) : IClassFixture<NotificationsHost>
{
    private static int _numbers;

    private static string NewNumber() => $"+62815{Interlocked.Increment(ref _numbers) + Random.Shared.Next(1_000_000, 8_000_000):D7}";

    [Theory]
    [InlineData("id", "bagaimana oleh-oleh dari pesanan REV1EW? Beri bintang 1-5")]
    [InlineData("en", "how are the souvenirs from order REV1EW? Give them 1-5 stars")]
    public async Task A_handed_over_order_invites_its_shopper_to_review_it_once_in_her_language(string language, string expected)
    {
        var number = NewNumber();
        var order = new OrderConfirmed(
            Guid.NewGuid(), Guid.NewGuid(), "REV1EW", PayAtKiosk: true, false, new DateOnly(2026, 12, 24),
            new DateTimeOffset(2026, 12, 24, 17, 0, 0, TimeSpan.FromHours(7)), 35_000, new ShopperContact("Rina", number, null, language), DateTimeOffset.UtcNow);
        await host.PublishAsync(order, Guid.NewGuid());
        var reviewable = new OrderLinesReviewable(order.OrderId, order.CooperativeId, new string('a', 64), "Rina",
            [new ReviewableLine(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "Dompet Kerang")], DateTimeOffset.UtcNow);
        var messageId = Guid.NewGuid();
        for (var i = 0; i < 3; i++)
        {
            await host.PublishAsync(reviewable, messageId);
        }

        var told = await Eventually.GetAsync(
            async () => (await host.MessagesToAsync(number)).EnumerateArray().Where(m => m.GetProperty("template_name").GetString() == "shopper_review_invitation").ToList(),
            m => m.Count == 1 && m[0].TryGetProperty("status", out var status) && status.GetString() == "delivered",
            because: "the invitation to be delivered");
        var text = told[0].GetProperty("text").GetString()!;
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.Contains($"/orders/{order.OrderId}", text, StringComparison.Ordinal);
        Assert.Single(await host.NotificationsForAsync(order.OrderId), n => n.Template == "shopper_review_invitation");
    }
}
