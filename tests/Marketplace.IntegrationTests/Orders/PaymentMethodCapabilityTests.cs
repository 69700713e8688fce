using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using Stripe;
using Stripe.Checkout;

namespace Marketplace.IntegrationTests;

/// <summary>
/// Stripe's page offers the deployment's methods only where the cooperative's own account has them: what Stripe says of
/// the account's capabilities, recorded on each <c>account.updated</c>, narrows the setting (card, QRIS, GoPay).
/// </summary>
public sealed class PaymentMethodCapabilityTests(Shop shop) : IClassFixture<Shop>
{
    [Fact]
    public async Task An_account_without_GoPay_is_not_offered_GoPay_and_is_again_once_Stripe_gives_it_back()
    {
        var stall = await shop.OpenStallAsync("tanpa-gopay", stock: 5, price: 25_000);
        var stripe = AsyncPayments.Stripe(shop);

        // Stripe withdraws GoPay from the cooperative's account; its account.updated reaches Orders.
        await SetCapabilityAsync(stall, "gopay_payments", active: false);
        var withoutGoPay = await MethodsWhenAsync(stall, m => m.GetProperty("type").GetString() == "gopay" && m.GetProperty("availability").GetString() == "inactive");
        var merchant = await stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/orders/merchants/{stall.CooperativeId}");
        var shopper = shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 1)).GetProperty("id").GetGuid();
        var sessionId = AsyncPayments.SessionId(await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment"));
        var session = await new SessionService(stripe).GetAsync(sessionId, null, AsyncPayments.Account(stall));
        // Stripe itself refuses GoPay on that account: offering it would have left the shopper without a page.
        var refused = await Assert.ThrowsAsync<StripeException>(() => new SessionService(stripe).CreateAsync(GoPayCheckout(), AsyncPayments.Account(stall)));

        await SetCapabilityAsync(stall, "gopay_payments", active: true);
        await MethodsWhenAsync(stall, m => m.GetProperty("type").GetString() == "gopay" && m.GetProperty("availability").GetString() == "active");
        var again = shop.NewShopper();
        var laterId = (await Shop.CheckOutAsync(again, stall, quantity: 1)).GetProperty("id").GetGuid();
        var later = await new SessionService(stripe).GetAsync(AsyncPayments.SessionId(await Shop.OrderWhenAsync(again, laterId, "awaitingPayment")), null, AsyncPayments.Account(stall));

        Assert.Equal(["card", "qris"], session.PaymentMethodTypes);
        Assert.Equal(["card", "qris"], merchant.GetProperty("onlineMethods").EnumerateArray().Select(m => m.GetString()));
        var card = withoutGoPay.Single(m => m.GetProperty("type").GetString() == "card");
        Assert.Equal("active", card.GetProperty("availability").GetString());
        // Stripe's API has no capability for QRIS: offered as the setting says, and the admin is told so.
        var qris = withoutGoPay.Single(m => m.GetProperty("type").GetString() == "qris");
        Assert.Equal("notReported", qris.GetProperty("availability").GetString());
        Assert.Equal("invalid_request_error", refused.StripeError.Type);
        Assert.Equal(["card", "qris", "gopay"], later.PaymentMethodTypes);
    }

    [Fact]
    public async Task An_account_Stripe_left_no_method_takes_no_online_order_and_holds_no_stock_but_the_kiosk_still_sells()
    {
        var stall = await shop.OpenStallAsync("tanpa-metode", stock: 5, price: 25_000);

        // Stripe withdraws cards, GoPay and QRIS; the account still takes payments (charges_enabled).
        foreach (var capability in new[] { "card_payments", "gopay_payments", "qris_payments" })
        {
            await SetCapabilityAsync(stall, capability, active: false);
        }

        var account = await Eventually.GetAsync(
            () => stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/orders/merchants/{stall.CooperativeId}/stripe-account"),
            s => s.GetProperty("methods").EnumerateArray().All(m => m.GetProperty("availability").GetString() == "inactive"),
            because: "Orders to record the three withdrawals");
        var merchant = await stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/orders/merchants/{stall.CooperativeId}");
        var shopper = shop.NewShopper();
        (await shopper.PutAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/lines/{stall.VariantId}", new { productId = stall.ProductId, quantity = 2 })).EnsureSuccessStatusCode();
        var online = await shopper.PostAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/checkout", new
        {
            name = "Turis Senang",
            whatsApp = Shop.RandomWhatsApp(),
            fulfilment = "pickup",
            pickupDate = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7)).AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            payment = "card",
        });
        var refusal = await online.Content.ReadFromJsonAsync<JsonElement>();
        var stockAfterRefusal = await Shop.StockAsync(stall);
        var atTheKiosk = await Shop.CheckOutAsync(shop.NewShopper(), stall, quantity: 1, payment: "kiosk");

        Assert.True(account.GetProperty("chargesEnabled").GetBoolean());
        Assert.Empty(merchant.GetProperty("onlineMethods").EnumerateArray());
        Assert.Equal(System.Net.HttpStatusCode.Conflict, online.StatusCode);
        Assert.Equal("online_payment_unavailable", refusal.GetProperty("code").GetString());
        // Nothing held for an order that could never be paid, and the basket keeps its goods.
        Assert.Equal((5, 0), stockAfterRefusal);
        Assert.Equal(2, (await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/baskets/{stall.CooperativeId}")).GetProperty("lines")[0].GetProperty("quantity").GetInt32());
        Assert.Equal("kiosk", atTheKiosk.GetProperty("payment").GetString());
    }

    private async Task SetCapabilityAsync(Stall stall, string capability, bool active) =>
        (await shop.StripeClient().PostAsJsonAsync($"/_emulator/accounts/{stall.StripeAccount}/capabilities/{capability}", new { active })).EnsureSuccessStatusCode();

    private static async Task<JsonElement[]> MethodsWhenAsync(Stall stall, Func<JsonElement, bool> seen)
    {
        var account = await Eventually.GetAsync(
            () => stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/orders/merchants/{stall.CooperativeId}/stripe-account"),
            s => s.GetProperty("methods").EnumerateArray().Any(seen),
            because: "Orders to record what account.updated says");
        return [.. account.GetProperty("methods").EnumerateArray()];
    }

    private static SessionCreateOptions GoPayCheckout()
    {
        var options = new SessionCreateOptions
        {
            Mode = "payment",
            SuccessUrl = "http://toko.test/ok",
            CancelUrl = "http://toko.test/batal",
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions { Currency = "idr", UnitAmount = 2_500_000, ProductData = new SessionLineItemPriceDataProductDataOptions { Name = "Tas" } },
                },
            ],
        };
        options.AddExtraParam("payment_method_types[0]", "gopay");
        return options;
    }
}
