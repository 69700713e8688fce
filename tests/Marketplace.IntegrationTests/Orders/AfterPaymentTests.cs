using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Orders;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>Preparing, handing over, shipping, cancelling and refunding paid orders.</summary>
public sealed class AfterPaymentTests(Shop shop) : IClassFixture<Shop>
{
    [Fact]
    public async Task A_member_prepares_her_lines_and_the_kiosk_hands_the_order_over_once()
    {
        var stall = await shop.OpenStallAsync("serah-terima");
        var shopper = shop.NewShopper();
        var orderId = await PaidKioskOrderAsync(stall, shopper, quantity: 2);
        var member = shop.NewShopper(TestTokens.Member(stall.CooperativeId, stall.MemberId));

        var lines = await member.GetFromJsonAsync<JsonElement>("/api/orders/members/me/lines");
        var line = lines.EnumerateArray().Single(l => l.GetProperty("orderId").GetGuid() == orderId);
        var ready = await member.PostAsync(new Uri($"/api/orders/orders/{orderId}/lines/{line.GetProperty("lineId").GetGuid()}/ready", UriKind.Relative), null);
        var otherMember = await shop.NewShopper(TestTokens.Member(stall.CooperativeId, Guid.NewGuid()))
            .PostAsync(new Uri($"/api/orders/orders/{orderId}/lines/{line.GetProperty("lineId").GetGuid()}/ready", UriKind.Relative), null);
        var shipInstead = await stall.OrdersAdmin.PostAsJsonAsync($"/api/orders/orders/{orderId}/ship", new { courier = "JNE", trackingNumber = "JNE123" });
        var handedOver = await stall.OrdersAdmin.PostAsync(new Uri($"/api/orders/orders/{orderId}/hand-over", UriKind.Relative), null);
        var again = await stall.OrdersAdmin.PostAsync(new Uri($"/api/orders/orders/{orderId}/hand-over", UriKind.Relative), null);

        Assert.Equal(2, line.GetProperty("quantity").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, ready.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherMember.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, shipInstead.StatusCode);
        Assert.Equal(HttpStatusCode.OK, handedOver.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(1, await shop.OutboxCountAsync("Marketplace.Contracts.Orders.OrderLinesFulfilled", orderId));
        var remaining = await member.GetFromJsonAsync<JsonElement>("/api/orders/members/me/lines");
        Assert.DoesNotContain(remaining.EnumerateArray(), l => l.GetProperty("orderId").GetGuid() == orderId);
    }

    [Fact]
    public async Task A_shipped_order_is_shipped_once_and_its_lines_are_fulfilled_on_delivery()
    {
        var stall = await shop.OpenStallAsync("kirim-paket");
        var shopper = shop.NewShopper();
        var orderId = await PaidCardOrderAsync(stall, shopper, quantity: 1, fulfilment: "shipping");

        var handOver = await stall.OrdersAdmin.PostAsync(new Uri($"/api/orders/orders/{orderId}/hand-over", UriKind.Relative), null);
        var shipped = await stall.OrdersAdmin.PostAsJsonAsync($"/api/orders/orders/{orderId}/ship", new { courier = "J&T", trackingNumber = "JT0001234" });
        var twice = await stall.OrdersAdmin.PostAsJsonAsync($"/api/orders/orders/{orderId}/ship", new { courier = "J&T", trackingNumber = "JT0009999" });
        Assert.Equal(0, await shop.OutboxCountAsync("Marketplace.Contracts.Orders.OrderLinesFulfilled", orderId));
        var delivered = await stall.OrdersAdmin.PostAsync(new Uri($"/api/orders/orders/{orderId}/deliver", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Conflict, handOver.StatusCode);
        Assert.Equal(HttpStatusCode.OK, shipped.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal("delivered", (await delivered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(1, await shop.OutboxCountAsync("Marketplace.Contracts.Orders.OrderLinesFulfilled", orderId));
    }

    [Fact]
    public async Task A_refund_goes_back_through_Stripe_once_per_key_and_never_beyond_the_payment()
    {
        var stall = await shop.OpenStallAsync("uang-kembali", price: 40_000);
        var shopper = shop.NewShopper();
        var orderId = await PaidCardOrderAsync(stall, shopper, quantity: 3);
        var order = await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}");
        var lineId = order.GetProperty("lines")[0].GetProperty("id").GetGuid();

        var tooMuch = await RefundAsync(stall, orderId, "kunci-1", lineId, 4);
        var first = await RefundAsync(stall, orderId, "kunci-2", lineId, 2);
        var retried = await RefundAsync(stall, orderId, "kunci-2", lineId, 2);
        var rest = await RefundAsync(stall, orderId, "kunci-3", lineId, 1);
        var beyond = await RefundAsync(stall, orderId, "kunci-4", lineId, 1);

        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var firstRefund = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(80_000, firstRefund.GetProperty("totalRupiah").GetInt64());
        Assert.Equal("succeeded", firstRefund.GetProperty("status").GetString());
        Assert.Equal(firstRefund.GetProperty("id").GetGuid(), (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
        Assert.Equal(2, await shop.OutboxCountAsync("Marketplace.Contracts.Orders.OrderRefunded", orderId));
    }

    [Fact]
    public async Task A_shopper_cancels_an_unpaid_order_but_only_the_cooperative_cancels_a_paid_one_refunding_it()
    {
        var stall = await shop.OpenStallAsync("batal-pesan", stock: 5);
        var shopper = shop.NewShopper();
        var unpaid = (await Shop.CheckOutAsync(shopper, stall, quantity: 2)).GetProperty("id").GetGuid();
        var awaiting = await Shop.OrderWhenAsync(shopper, unpaid, "awaitingPayment");

        var cancelled = await shopper.PostAsync(new Uri($"/api/orders/orders/{unpaid}/cancel", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("NotOpen", await shop.PayAsync(awaiting.GetProperty("checkoutUrl").GetString()!));
        await Eventually.TrueAsync(async () => await Shop.StockAsync(stall) == (5, 0), because: "the cancelled order's stock to be back on sale");

        var paid = await PaidCardOrderAsync(stall, shopper, quantity: 1);
        var byShopper = await shopper.PostAsync(new Uri($"/api/orders/orders/{paid}/cancel", UriKind.Relative), null);
        var byAdmin = await stall.OrdersAdmin.PostAsync(new Uri($"/api/orders/orders/{paid}/cancel", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Conflict, byShopper.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
        Assert.Equal("cancelled", (await byAdmin.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(1, await shop.OutboxCountAsync("Marketplace.Contracts.Orders.OrderRefunded", paid));
    }

    [Fact]
    public async Task A_payment_for_stock_sold_meanwhile_cancels_the_order_and_refunds_it_in_full()
    {
        var stall = await shop.OpenStallAsync("stok-terjual");
        var shopper = shop.NewShopper();
        var orderId = await PaidCardOrderAsync(stall, shopper, quantity: 2);

        // What Catalog answers when the payment came after the reservation lapsed and the units were sold to others.
        await shop.Orders.Services.GetRequiredService<MassTransit.IBus>().Publish(
            new Contracts.Catalog.StockConfirmationFailed(orderId, [new Contracts.Catalog.StockShortage(stall.VariantId, 2, 0, "expired")]));

        await Shop.OrderWhenAsync(shopper, orderId, "cancelled");
        await Eventually.TrueAsync(async () => await shop.OutboxCountAsync("Marketplace.Contracts.Orders.OrderRefunded", orderId) == 1, because: "the refund to be published");
        var events = await shop.StripeClient().GetFromJsonAsync<JsonElement>("/_emulator/events");
        Assert.Contains(events.EnumerateArray(), e => e.GetProperty("type").GetString() == "refund.created");
    }

    private async Task<Guid> PaidCardOrderAsync(Stall stall, HttpClient shopper, int quantity, string fulfilment = "pickup")
    {
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity, fulfilment: fulfilment)).GetProperty("id").GetGuid();
        var awaiting = await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment");
        Assert.Equal("Paid", await shop.PayAsync(awaiting.GetProperty("checkoutUrl").GetString()!));
        await Shop.OrderWhenAsync(shopper, orderId, "paid");
        await StockConfirmedAsync(shopper, orderId);
        return orderId;
    }

    private static async Task<Guid> PaidKioskOrderAsync(Stall stall, HttpClient shopper, int quantity)
    {
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity, payment: "kiosk")).GetProperty("id").GetGuid();
        await Shop.OrderWhenAsync(shopper, orderId, "awaitingKioskPayment");
        (await stall.OrdersAdmin.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/orders/{orderId}/payment", new { method = "qris", reference = "QR-77" })).EnsureSuccessStatusCode();
        await StockConfirmedAsync(shopper, orderId);
        return orderId;
    }

    /// <summary>Nothing leaves the kiosk before Catalog confirms the stock.</summary>
    private static Task<JsonElement> StockConfirmedAsync(HttpClient shopper, Guid orderId) =>
        Eventually.GetAsync(
            async () => await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}"),
            o => o.GetProperty("stockConfirmed").GetBoolean(),
            because: "Catalog to confirm the order's stock");

    private static async Task<HttpResponseMessage> RefundAsync(Stall stall, Guid orderId, string key, Guid lineId, int quantity)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/orders/orders/{orderId}/refunds", UriKind.Relative))
        {
            Content = JsonContent.Create(new { lines = new[] { new { lineId, quantity } }, shipping = false }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await stall.OrdersAdmin.SendAsync(request);
    }
}
