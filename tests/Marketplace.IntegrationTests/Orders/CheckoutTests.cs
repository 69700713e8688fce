using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marketplace.Orders.Checkout;
using Marketplace.Orders.Lifecycle;
using Marketplace.Orders.OrderAggregate;
using Marketplace.Orders;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marketplace.IntegrationTests;

/// <summary>From basket to paid, through Orders' HTTP API, Catalog's stock and the Stripe emulator.</summary>
public sealed class CheckoutTests(Shop shop) : IClassFixture<Shop>
{
    [Fact]
    public async Task A_shopper_waiting_on_her_order_is_answered_when_it_changes_and_not_before()
    {
        var stall = await shop.OpenStallAsync("tunggu-bayar", stock: 5, price: 30_000);
        var shopper = shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 1, payment: "kiosk")).GetProperty("id").GetGuid();
        await Shop.OrderWhenAsync(shopper, orderId, "awaitingKioskPayment");

        // Asked to wait while it awaits payment, the answer comes only once the kiosk took the money. Nothing in the
        // replica hands the change over: PostgreSQL's notification does, as it would from any other replica.
        var waiting = shopper.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}?waitWhile=AwaitingKioskPayment&waitSeconds=25");
        await Eventually.TrueAsync(() => Task.FromResult(shop.Orders.Services.GetRequiredService<OrderChangeWaiters>().IsWaitingFor(orderId)), because: "the request to wait");
        Assert.False(waiting.IsCompleted);
        (await stall.OrdersAdmin.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/orders/{orderId}/payment", new { method = "cash", tillSessionId = await Counter.OpenSessionAsync(stall.OrdersAdmin, stall.CooperativeId) })).EnsureSuccessStatusCode();

        var answered = await waiting;
        Assert.Equal("paid", answered.GetProperty("status").GetString());

        // A status that does not exist is refused, not waited on.
        var wrong = await shopper.GetAsync($"/api/orders/orders/{orderId}?waitWhile=Menunggu");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
    }

    [Fact]
    public async Task A_card_order_is_paid_through_Stripe_and_its_stock_leaves_the_shelf()
    {
        var stall = await shop.OpenStallAsync("kartu-lancar", stock: 10, price: 25_000);
        var shopper = shop.NewShopper();

        var placed = await Shop.CheckOutAsync(shopper, stall, quantity: 2);
        var orderId = placed.GetProperty("id").GetGuid();
        var awaiting = await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment");
        Assert.Equal(50_000, awaiting.GetProperty("totalRupiah").GetInt64());
        Assert.Equal("Rp 50.000", awaiting.GetProperty("totalDisplay").GetString());
        Assert.Equal((10, 2), await Shop.StockAsync(stall));

        Assert.Equal("Paid", await shop.PayAsync(awaiting.GetProperty("checkoutUrl").GetString()!));
        var paid = await Shop.OrderWhenAsync(shopper, orderId, "paid");

        Assert.Equal(6, paid.GetProperty("pickupCode").GetString()!.Length);
        await Eventually.TrueAsync(async () => await Shop.StockAsync(stall) == (8, 0), because: "Catalog to take the sold stock off the shelf");
        Assert.Equal(1, await shop.OutboxCountAsync("Marketplace.Contracts.Orders.OrderPaid", orderId));
    }

    [Fact]
    public async Task A_declined_card_leaves_the_order_waiting_for_payment()
    {
        var stall = await shop.OpenStallAsync("kartu-ditolak");
        var shopper = shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 1)).GetProperty("id").GetGuid();
        var awaiting = await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment");

        var outcome = await shop.PayAsync(awaiting.GetProperty("checkoutUrl").GetString()!, "4000 0000 0000 0002");
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal("Declined", outcome);
        Assert.Equal("awaitingPayment", (await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}")).GetProperty("status").GetString());
        Assert.Equal((10, 1), await Shop.StockAsync(stall));
    }

    [Fact]
    public async Task A_kiosk_order_is_held_until_paid_in_cash_at_the_kiosk()
    {
        var stall = await shop.OpenStallAsync("bayar-di-kios");
        var shopper = shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 3, payment: "kiosk")).GetProperty("id").GetGuid();
        var awaiting = await Shop.OrderWhenAsync(shopper, orderId, "awaitingKioskPayment");
        var code = awaiting.GetProperty("pickupCode").GetString()!;

        var found = await stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/orders/kiosk/{stall.CooperativeId}/orders/{code.ToLowerInvariant()}");
        var paid = await stall.OrdersAdmin.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/orders/{orderId}/payment", new { method = "cash", tillSessionId = await Counter.OpenSessionAsync(stall.OrdersAdmin, stall.CooperativeId) });
        var again = await stall.OrdersAdmin.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/orders/{orderId}/payment", new { method = "qris" });

        Assert.Equal(orderId, found.GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        await Eventually.TrueAsync(async () => await Shop.StockAsync(stall) == (7, 0), because: "Catalog to take the sold stock off the shelf");
        Assert.Equal(1, await shop.OutboxCountAsync("Marketplace.Contracts.Orders.OrderPaid", orderId));
    }

    [Fact]
    public async Task A_basket_larger_than_the_stock_is_refused_with_the_short_lines_named()
    {
        var stall = await shop.OpenStallAsync("stok-kurang", stock: 2);
        var shopper = shop.NewShopper();

        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 3)).GetProperty("id").GetGuid();
        var refused = await Shop.OrderWhenAsync(shopper, orderId, "stockRefused");

        var shortage = refused.GetProperty("shortages")[0];
        Assert.Equal(stall.VariantId, shortage.GetProperty("variantId").GetGuid());
        Assert.Equal(2, shortage.GetProperty("available").GetInt32());
        Assert.Equal((2, 0), await Shop.StockAsync(stall));
    }

    [Fact]
    public async Task The_same_webhook_three_times_and_out_of_order_pays_the_order_once()
    {
        var stall = await shop.OpenStallAsync("webhook-berulang");
        var shopper = shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 1)).GetProperty("id").GetGuid();
        var awaiting = await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment");
        await shop.PayAsync(awaiting.GetProperty("checkoutUrl").GetString()!);
        await Shop.OrderWhenAsync(shopper, orderId, "paid");

        // Stripe may send any event again, late, and after ones that followed it.
        var stripe = shop.StripeClient();
        var events = await stripe.GetFromJsonAsync<JsonElement>("/_emulator/events");
        var ofThisPayment = events.EnumerateArray().Where(e => e.GetProperty("account").GetString() == stall.StripeAccount).TakeLast(2).Select(e => e.GetProperty("id").GetString()).ToList();
        foreach (var eventId in Enumerable.Repeat(ofThisPayment, 3).SelectMany(ids => ids.AsEnumerable().Reverse()))
        {
            (await stripe.PostAsync(new Uri($"/_emulator/events/{eventId}/resend", UriKind.Relative), null)).EnsureSuccessStatusCode();
        }

        await Eventually.TrueAsync(async () =>
        {
            var delivered = await stripe.GetFromJsonAsync<JsonElement>("/_emulator/events");
            return delivered.EnumerateArray().Where(e => ofThisPayment.Contains(e.GetProperty("id").GetString())).All(e => e.GetProperty("attempts").GetInt32() >= 4);
        }, because: "every copy to be delivered");
        Assert.Equal(1, await shop.OutboxCountAsync("Marketplace.Contracts.Orders.OrderPaid", orderId));
        Assert.Equal(1, await shop.OutboxCountAsync("Marketplace.Contracts.Orders.ConfirmStockReservation", orderId));
    }

    [Fact]
    public async Task A_webhook_with_a_bad_signature_is_refused_and_changes_nothing()
    {
        var stall = await shop.OpenStallAsync("tanda-palsu");
        var shopper = shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 1)).GetProperty("id").GetGuid();
        var awaiting = await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment");
        var sessionId = awaiting.GetProperty("checkoutUrl").GetString()!.Split('/')[^1];
        var payload = CompletedEvent(sessionId, orderId);

        var forged = await PostWebhookAsync(payload, StripeEmulator.WebhookSender.Sign(payload, "whsec_not_the_secret", DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        var unsigned = await PostWebhookAsync(payload, signature: null);
        var garbage = await PostWebhookAsync("{not json", StripeEmulator.WebhookSender.Sign("{not json", Shop.WebhookSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Equal("awaitingPayment", (await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_genuine_webhook_for_a_payment_of_another_amount_does_not_pay_the_order()
    {
        var stall = await shop.OpenStallAsync("jumlah-salah");
        var shopper = shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 2)).GetProperty("id").GetGuid();
        await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment");

        // Someone pays a cheaper session of their own that names this order, and Stripe duly reports it.
        var stripe = shop.StripeClient();
        stripe.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "sk_test_someone");
        stripe.DefaultRequestHeaders.Add("Stripe-Account", stall.StripeAccount);
        var cheap = await stripe.PostAsync(new Uri("/v1/checkout/sessions", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["mode"] = "payment",
            ["client_reference_id"] = orderId.ToString(),
            ["line_items[0][quantity]"] = "1",
            ["line_items[0][price_data][currency]"] = "idr",
            ["line_items[0][price_data][unit_amount]"] = "100000",
            ["line_items[0][price_data][product_data][name]"] = "Murah",
        }));
        var cheapSession = await cheap.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Paid", await shop.PayAsync(cheapSession.GetProperty("url").GetString()!));
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal("awaitingPayment", (await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}")).GetProperty("status").GetString());
        Assert.Equal(0, await shop.OutboxCountAsync("Marketplace.Contracts.Orders.OrderPaid", orderId));
    }

    [Fact]
    public async Task An_unpaid_card_order_expires_its_checkout_and_gives_the_stock_back()
    {
        var stall = await shop.OpenStallAsync("kedaluwarsa", stock: 5);
        var shopper = shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 4)).GetProperty("id").GetGuid();
        var awaiting = await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment");
        Assert.Equal((5, 4), await Shop.StockAsync(stall));

        await using (var scope = shop.Orders.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
            await db.Database.ExecuteSqlAsync($"UPDATE orders.orders SET payment_deadline = now() - interval '1 minute' WHERE id = {orderId}");
        }

        var expiry = shop.Orders.Services.GetServices<IHostedService>().OfType<UnpaidOrderExpiry>().Single();
        await expiry.ExpireBatchAsync(CancellationToken.None);

        await Shop.OrderWhenAsync(shopper, orderId, "expired");
        await Eventually.TrueAsync(async () => await Shop.StockAsync(stall) == (5, 0), because: "Catalog to put the held stock back on sale");
        var outcome = await shop.PayAsync(awaiting.GetProperty("checkoutUrl").GetString()!);
        Assert.Equal("NotOpen", outcome);
    }

    [Fact]
    public async Task Prices_come_from_the_server_and_a_guest_sees_only_her_own_order()
    {
        var stall = await shop.OpenStallAsync("harga-server", price: 30_000);
        var shopper = shop.NewShopper();
        var basket = await shopper.PutAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/lines/{stall.VariantId}", new { productId = stall.ProductId, quantity = 2, unitPriceRupiah = 1 });
        var view = await basket.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(60_000, view.GetProperty("itemsTotalRupiah").GetInt64());

        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 2, fulfilment: "shipping")).GetProperty("id").GetGuid();
        var order = await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}");
        var stranger = await shop.NewShopper().GetAsync(new Uri($"/api/orders/orders/{orderId}", UriKind.Relative));

        Assert.Equal(18_000, order.GetProperty("shippingRupiah").GetInt64());
        Assert.Equal(78_000, order.GetProperty("totalRupiah").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
    }

    [Fact]
    public async Task A_guests_basket_follows_her_when_she_signs_in_and_kiosk_payment_needs_pickup()
    {
        var stall = await shop.OpenStallAsync("keranjang-tamu");
        var browser = shop.NewShopper();
        (await browser.PutAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/lines/{stall.VariantId}", new { productId = stall.ProductId, quantity = 2 })).EnsureSuccessStatusCode();

        browser.WithToken(TestTokens.Shopper());
        var baskets = await browser.GetFromJsonAsync<JsonElement>("/api/orders/baskets");
        var shipAndPayAtKiosk = await browser.PostAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/checkout", new
        {
            name = "Turis",
            whatsApp = "081322223333",
            fulfilment = "shipping",
            shippingAddress = new { recipient = "Turis", street = "Jl. Mawar 1", city = "Surabaya", province = "Jawa Timur", postalCode = "60111", zone = "jawa" },
            payment = "kiosk",
        });

        var basket = Assert.Single(baskets.EnumerateArray());
        Assert.Equal(2, basket.GetProperty("lines")[0].GetProperty("quantity").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, shipAndPayAtKiosk.StatusCode);
        // Signed out again, the browser is no longer the guest: her basket moved to the account.
        browser.DefaultRequestHeaders.Authorization = null;
        Assert.Equal(0, (await browser.GetFromJsonAsync<JsonElement>("/api/orders/baskets")).GetArrayLength());
    }

    private async Task<HttpResponseMessage> PostWebhookAsync(string payload, string? signature)
    {
        using var content = new StringContent(payload, Encoding.UTF8, "application/json");
        if (signature is not null)
        {
            content.Headers.Add("Stripe-Signature", signature);
        }

        using var client = new HttpClient { BaseAddress = shop.OrdersAddress };
        return await client.PostAsync(new Uri("/api/orders/payments/stripe-webhook", UriKind.Relative), content);
    }

    private static string CompletedEvent(string sessionId, Guid orderId) => JsonSerializer.Serialize(new
    {
        id = "evt_forged_" + Guid.NewGuid().ToString("N"),
        @object = "event",
        api_version = Stripe.StripeConfiguration.ApiVersion,
        created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        type = "checkout.session.completed",
        livemode = false,
        data = new { @object = new { id = sessionId, @object = "checkout.session", client_reference_id = orderId.ToString(), status = "complete", payment_status = "paid" } },
    });
}
