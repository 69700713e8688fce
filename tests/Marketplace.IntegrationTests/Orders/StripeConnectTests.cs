using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using Stripe;
using Stripe.Checkout;

namespace Marketplace.IntegrationTests;

/// <summary>
/// Stripe Connect onboarding against the emulator, through Stripe.net and through Orders: a cooperative takes card
/// payments only once Stripe enables charges on its own account, and Orders keeps what Stripe says of the account.
/// </summary>
public sealed class StripeConnectTests(Shop shop) : IClassFixture<Shop>
{
    [Fact]
    public async Task Stripe_refuses_a_checkout_on_an_account_until_its_onboarding_enables_charges()
    {
        var stripe = new StripeClient(new StripeClientOptions { ApiKey = "sk_test_connect", ApiBase = shop.StripeAddress.ToString().TrimEnd('/') });
        var accounts = new AccountService(stripe);
        var created = await accounts.CreateAsync(new AccountCreateOptions
        {
            Type = "standard",
            Country = "ID",
            DefaultCurrency = "idr",
            BusinessProfile = new AccountBusinessProfileOptions { Name = "Koperasi Uji" },
        });
        var onAccount = new RequestOptions { StripeAccount = created.Id };

        var refused = await Assert.ThrowsAsync<StripeException>(() => new SessionService(stripe).CreateAsync(Checkout(), onAccount));
        var link = await new AccountLinkService(stripe).CreateAsync(new AccountLinkCreateOptions
        {
            Account = created.Id,
            Type = "account_onboarding",
            RefreshUrl = "http://toko.test/admin/pengaturan?stripe=ulang",
            ReturnUrl = "http://toko.test/admin/pengaturan?stripe=kembali",
        });
        var landed = await StripeOnboardingSteps.SubmitAsync(link.Url, StripeOnboardingSteps.Form());
        var usedAgain = await StripeOnboardingSteps.SubmitAsync(link.Url, StripeOnboardingSteps.Form());
        var onboarded = await accounts.GetAsync(created.Id);
        var session = await new SessionService(stripe).CreateAsync(Checkout(), onAccount);
        var unknown = await Assert.ThrowsAsync<StripeException>(() =>
            new SessionService(stripe).CreateAsync(Checkout(), new RequestOptions { StripeAccount = "acct_1NotConnectedHere" }));

        Assert.False(created.ChargesEnabled);
        Assert.Contains("external_account", created.Requirements.CurrentlyDue);
        Assert.Equal("invalid_request_error", refused.StripeError.Type);
        Assert.True(link.ExpiresAt > DateTime.UtcNow);
        Assert.Equal("http://toko.test/admin/pengaturan?stripe=kembali", landed.ToString());
        // A link works once: used again, it sends the owner to refresh_url for a new one.
        Assert.Equal("http://toko.test/admin/pengaturan?stripe=ulang", usedAgain.ToString());
        Assert.True(onboarded.ChargesEnabled && onboarded.PayoutsEnabled && onboarded.DetailsSubmitted);
        Assert.Empty(onboarded.Requirements.CurrentlyDue);
        Assert.Equal("active", onboarded.Capabilities.CardPayments);
        Assert.StartsWith("cs_test", session.Id, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, unknown.HttpStatusCode);
        Assert.Equal("account_invalid", unknown.StripeError.Code);
    }

    [Fact]
    public async Task A_cooperative_takes_cards_only_once_onboarding_is_complete_and_keeps_one_account()
    {
        var stall = await shop.OpenStallAsync("hubungkan-stripe", connectStripe: false);
        var outsider = shop.NewShopper(TestTokens.CooperativeAdmin(Guid.NewGuid()));

        var beforeStart = await CheckOutAsync(stall, "card");
        var url = await StripeOnboardingSteps.StartAsync(stall.OrdersAdmin, stall.CooperativeId);
        // She gives her business but leaves before accepting Stripe's terms; back on the settings page, Orders asks Stripe.
        await StripeOnboardingSteps.SubmitAsync(url, StripeOnboardingSteps.Form("later"));
        var halfway = await StripeOnboardingSteps.RefreshAsync(stall.OrdersAdmin, stall.CooperativeId);
        var halfwayCheckout = await CheckOutAsync(stall, "card");
        var halfwayMerchant = await stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/orders/merchants/{stall.CooperativeId}");

        // Pressed again: a new link to the same account, never a second account.
        var secondUrl = await StripeOnboardingSteps.StartAsync(stall.OrdersAdmin, stall.CooperativeId);
        await StripeOnboardingSteps.SubmitAsync(secondUrl, StripeOnboardingSteps.Form());
        // Not refreshed by hand: Stripe's account.updated reaches the webhook, and Orders records what Stripe says.
        var enabled = await Eventually.GetAsync(
            () => stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/orders/merchants/{stall.CooperativeId}/stripe-account"),
            s => s.GetProperty("chargesEnabled").GetBoolean(),
            because: "account.updated to reach Orders");
        var afterwards = await CheckOutAsync(stall, "card");
        var shopper = afterwards.Shopper;
        var orderId = (await afterwards.Response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var awaiting = await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment");
        Assert.Equal("Paid", await shop.PayAsync(awaiting.GetProperty("checkoutUrl").GetString()!));
        await Shop.OrderWhenAsync(shopper, orderId, "paid");
        var othersOnboarding = await outsider.PostAsync(new Uri($"/api/orders/merchants/{stall.CooperativeId}/stripe-onboarding", UriKind.Relative), null);

        await RefusedForCardsAsync(beforeStart.Response);
        Assert.False(halfway.GetProperty("chargesEnabled").GetBoolean());
        Assert.False(halfway.GetProperty("detailsSubmitted").GetBoolean());
        Assert.Contains("tos_acceptance.date", halfway.GetProperty("currentlyDue").EnumerateArray().Select(d => d.GetString()));
        await RefusedForCardsAsync(halfwayCheckout.Response);
        Assert.False(halfwayMerchant.GetProperty("takesCards").GetBoolean());
        Assert.NotEqual(url, secondUrl);
        Assert.Equal(halfway.GetProperty("accountId").GetString(), enabled.GetProperty("accountId").GetString());
        Assert.True(enabled.GetProperty("payoutsEnabled").GetBoolean());
        Assert.Empty(enabled.GetProperty("currentlyDue").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, othersOnboarding.StatusCode);
    }

    [Fact]
    public async Task Account_updated_from_Stripe_turns_card_payments_off_and_on_again()
    {
        var stall = await shop.OpenStallAsync("stripe-berubah");
        var state = await stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/orders/merchants/{stall.CooperativeId}/stripe-account");
        var account = state.GetProperty("accountId").GetString()!;
        using var emulator = shop.StripeClient();

        // Stripe asks for the representative's ID again: payments stop until she gives it.
        (await emulator.PostAsJsonAsync($"/_emulator/accounts/{account}/requirements", new { currentlyDue = new[] { "representative.id_number" } })).EnsureSuccessStatusCode();
        var stopped = await Eventually.GetAsync(
            () => stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/orders/merchants/{stall.CooperativeId}/stripe-account"),
            s => !s.GetProperty("chargesEnabled").GetBoolean(),
            because: "account.updated to reach Orders");
        var whileStopped = await CheckOutAsync(stall, "card");
        var kioskMeanwhile = await CheckOutAsync(stall, "kiosk");

        // Only the bank account is due: payments go on, payouts wait.
        (await emulator.PostAsJsonAsync($"/_emulator/accounts/{account}/requirements", new { currentlyDue = new[] { "external_account" } })).EnsureSuccessStatusCode();
        var noPayouts = await Eventually.GetAsync(
            () => stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/orders/merchants/{stall.CooperativeId}/stripe-account"),
            s => s.GetProperty("chargesEnabled").GetBoolean(),
            because: "the second account.updated to reach Orders");
        var cardAgain = await CheckOutAsync(stall, "card");

        Assert.Equal(["representative.id_number"], stopped.GetProperty("currentlyDue").EnumerateArray().Select(d => d.GetString()));
        Assert.False(stopped.GetProperty("payoutsEnabled").GetBoolean());
        await RefusedForCardsAsync(whileStopped.Response);
        Assert.Equal(HttpStatusCode.Accepted, kioskMeanwhile.Response.StatusCode);
        Assert.False(noPayouts.GetProperty("payoutsEnabled").GetBoolean());
        Assert.Equal(["external_account"], noPayouts.GetProperty("currentlyDue").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(HttpStatusCode.Accepted, cardAgain.Response.StatusCode);
    }

    private static async Task RefusedForCardsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, body);
        Assert.Equal("cards_not_accepted", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }

    /// <summary>A new shopper puts one item in her basket and checks out; the raw answer, refused or not.</summary>
    private async Task<(HttpClient Shopper, HttpResponseMessage Response)> CheckOutAsync(Stall stall, string payment)
    {
        var shopper = shop.NewShopper();
        (await shopper.PutAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/lines/{stall.VariantId}", new { productId = stall.ProductId, quantity = 1 })).EnsureSuccessStatusCode();
        var pickupDate = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7)).AddDays(1);
        var response = await shopper.PostAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/checkout", new
        {
            name = "Turis Senang",
            whatsApp = "0813 2222 " + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture),
            fulfilment = "pickup",
            pickupDate = pickupDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            payment,
        });
        return (shopper, response);
    }

    private static SessionCreateOptions Checkout() => new()
    {
        Mode = "payment",
        LineItems = [new SessionLineItemOptions { Quantity = 1, PriceData = new SessionLineItemPriceDataOptions { Currency = "idr", UnitAmount = 2_500_000, ProductData = new() { Name = "Kerupuk" } } }],
        SuccessUrl = "http://toko.test/ok",
    };
}
