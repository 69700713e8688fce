using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;

namespace Marketplace.IntegrationTests.Web;

/// <summary>A guest who signs in brings her basket along, at sign-in, without any basket being written first.</summary>
[Collection(StorefrontCollection.Name)]
public sealed class GuestSignInTests(StorefrontStack shop)
{
    [Fact]
    public async Task A_guests_basket_becomes_her_accounts_when_she_registers_and_the_guest_keeps_nothing()
    {
        var product = await shop.Stack.NewApiClient().GetFromJsonAsync<JsonElement>($"/api/catalog/products/{shop.FishCrackers.Id}");
        var variantId = product.GetProperty("variants")[0].GetProperty("id").GetGuid();
        using var browser = shop.Stack.NewBrowser();
        (await browser.Http.PutAsJsonAsync($"/api/orders/baskets/{shop.CooperativeId}/lines/{variantId}", new { productId = shop.FishCrackers.Id, quantity = 2 }))
            .EnsureSuccessStatusCode();
        var guestCookie = browser.Cookies.GetAllCookies().Single(c => c.Name == "marketplace.guest");
        var email = $"tamu-{StorefrontStack.Letters(8)}@wisata.test";

        var registered = await browser.Http.PostAsJsonAsync("/api/account/register", new { displayName = "Wulan", email, password = "ombak-pantai-binor" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);

        // Another device of hers never was the guest: it sees the basket only once Orders took the guest in.
        using var otherDevice = shop.Stack.NewBrowser();
        await otherDevice.SignInAsync(email, "ombak-pantai-binor");
        var baskets = await Eventually.GetAsync(
            () => otherDevice.Http.GetFromJsonAsync<JsonElement>("/api/orders/baskets"),
            b => b.GetArrayLength() == 1,
            TimeSpan.FromSeconds(30),
            because: "the guest's basket to become the account's at sign-in");
        Assert.Equal(2, baskets[0].GetProperty("lines")[0].GetProperty("quantity").GetInt32());
        // The same browser, signed in, sees one basket, not the guest's and the account's side by side.
        Assert.Equal(1, (await browser.Http.GetFromJsonAsync<JsonElement>("/api/orders/baskets")).GetArrayLength());

        using var formerGuest = shop.Stack.NewBrowser();
        formerGuest.Cookies.Add(guestCookie);
        Assert.Equal(0, (await formerGuest.Http.GetFromJsonAsync<JsonElement>("/api/orders/baskets")).GetArrayLength());
    }
}
