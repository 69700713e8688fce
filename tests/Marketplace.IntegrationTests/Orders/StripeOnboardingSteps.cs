using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Marketplace.IntegrationTests;

/// <summary>
/// A cooperative connects its Stripe account as an admin does: Orders creates it and an Account Link, the owner fills in
/// the emulator's onboarding page, and Orders looks at the account again as when she comes back.
/// </summary>
public static class StripeOnboardingSteps
{
    /// <summary>The onboarding page's fields, as the emulator fills them in for test mode.</summary>
    public static Dictionary<string, string> Form(string action = "complete", bool bank = true) => new()
    {
        ["business_name"] = "Koperasi Wanita Pantai Binor",
        ["product_description"] = "Oleh-oleh hasil laut",
        ["representative_name"] = "Siti Aminah",
        ["representative_id_number"] = "3513000000000001",
        ["bank_name"] = "Bank Jatim",
        ["account_number"] = bank ? "000123456789" : string.Empty,
        ["account_holder"] = "Koperasi Wanita Pantai Binor",
        ["tos"] = "accepted",
        ["action"] = action,
    };

    /// <summary>Asks Orders (directly or through the Gateway) for the onboarding link; it answers once it knows the cooperative.</summary>
    public static async Task<string> StartAsync(HttpClient admin, Guid cooperativeId)
    {
        var response = await Marketplace.Testing.Eventually.GetAsync(
            () => admin.PostAsync(new Uri($"/api/orders/merchants/{cooperativeId}/stripe-onboarding", UriKind.Relative), null),
            r => r.StatusCode != HttpStatusCode.NotFound,
            because: "Orders to learn of the cooperative");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
    }

    /// <summary>Submits the onboarding page as its owner would; answers where Stripe sends her (the return or refresh address).</summary>
    public static async Task<Uri> SubmitAsync(string onboardingUrl, Dictionary<string, string> form)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var content = new FormUrlEncodedContent(form);
        using var response = await browser.PostAsync(new Uri(onboardingUrl), content);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>Orders' view of the account after asking Stripe, as the settings page does on the admin's return.</summary>
    public static async Task<JsonElement> RefreshAsync(HttpClient admin, Guid cooperativeId)
    {
        var response = await admin.PostAsync(new Uri($"/api/orders/merchants/{cooperativeId}/stripe-account/refresh", UriKind.Relative), null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The whole way through: the cooperative takes card payments afterwards. Answers its account id.</summary>
    public static async Task<string> ConnectAsync(HttpClient admin, Guid cooperativeId)
    {
        var url = await StartAsync(admin, cooperativeId);
        await SubmitAsync(url, Form());
        var state = await RefreshAsync(admin, cooperativeId);
        Assert.True(state.GetProperty("chargesEnabled").GetBoolean(), state.ToString());
        return state.GetProperty("accountId").GetString()!;
    }
}
