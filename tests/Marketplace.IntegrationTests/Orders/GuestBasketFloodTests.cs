using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Marketplace.IntegrationTests;

/// <summary>
/// Guest baskets are counted where they are opened, in Orders, by the client address the Gateway or Web relays: a script
/// that invents a new guest cookie for each request, or sends none, is stopped; a shopper whose basket exists keeps
/// shopping, and other addresses are not affected.
/// </summary>
public sealed class GuestBasketFloodTests : IAsyncLifetime
{
    private readonly Shop _shop = new()
    {
        ServiceOverrides =
        {
            ["GuestBaskets:PermitLimit"] = "3",
            ["GuestBaskets:Window"] = "00:10:00",
        },
    };

    private Guid _productId;

    public Task InitializeAsync() => _shop.InitializeAsync();

    public Task DisposeAsync() => _shop.DisposeAsync();

    [Fact]
    public async Task Guest_baskets_opened_from_one_address_past_the_limit_are_refused_whatever_cookie_is_sent()
    {
        var stall = await _shop.OpenStallAsync("banjir-tamu");
        _productId = stall.ProductId;
        var line = $"/api/orders/baskets/{stall.CooperativeId}/lines/{stall.VariantId}";
        const string Script = "203.0.113.90";

        // A shopper from the script's address whose basket is already open, as a family's phone behind one carrier address.
        using var known = Client(Script);
        var first = await PutAsync(known, line, cookie: null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var knownCookie = first.Headers.GetValues("Set-Cookie").First().Split(';')[0];

        // Each request with an invented guest id, or none, is a new guest with a new basket.
        using var script = Client(Script);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(script, line, $"marketplace.guest={Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(script, line, cookie: null)).StatusCode);
        var invented = await PutAsync(script, line, $"marketplace.guest={Guid.NewGuid()}");
        var cookieless = await PutAsync(script, line, cookie: null);
        var stillShopping = await PutAsync(known, line, knownCookie, quantity: 2);
        using var elsewhere = Client("198.51.100.91");
        var otherAddress = await PutAsync(elsewhere, line, cookie: null);

        Assert.Equal(HttpStatusCode.TooManyRequests, invented.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, cookieless.StatusCode);
        Assert.True(invented.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", invented.Content.Headers.ContentType?.MediaType);
        Assert.Equal("rate_limited", (await invented.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, stillShopping.StatusCode);
        Assert.Equal(2, (await stillShopping.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lines")[0].GetProperty("quantity").GetInt32());
        Assert.Equal(HttpStatusCode.OK, otherAddress.StatusCode);
    }

    /// <summary>Orders called as the Gateway or Web calls it: the client's address in X-Forwarded-For, cookies by hand.</summary>
    private HttpClient Client(string address)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = _shop.OrdersAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    private async Task<HttpResponseMessage> PutAsync(HttpClient client, string line, string? cookie, int quantity = 1)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, line) { Content = JsonContent.Create(new { productId = _productId, quantity }) };
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await client.SendAsync(request);
    }
}
