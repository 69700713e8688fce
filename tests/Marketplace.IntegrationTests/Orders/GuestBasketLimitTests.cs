using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Marketplace.IntegrationTests;

/// <summary>One client address starts only so many guests (and so baskets) through the Gateway in a window.</summary>
public sealed class GuestBasketLimitTests : IAsyncLifetime
{
    private readonly Shop _shop = new()
    {
        WithGateway = true,
        GatewayOverrides =
        {
            ["RateLimits:NewGuestsPerIp:PermitLimit"] = "3",
            ["RateLimits:NewGuestsPerIp:Window"] = "00:10:00",
        },
    };

    public Task InitializeAsync() => _shop.InitializeAsync();

    public Task DisposeAsync() => _shop.DisposeAsync();

    [Fact]
    public async Task Starting_guest_baskets_past_the_limit_is_refused_with_Retry_After_while_known_guests_keep_shopping()
    {
        var stall = await _shop.OpenStallAsync("keranjang-tamu");
        var line = $"/api/orders/baskets/{stall.CooperativeId}/lines/{stall.VariantId}";
        var known = _shop.NewShopper();
        (await known.PutAsJsonAsync(line, new { productId = stall.ProductId, quantity = 1 })).EnsureSuccessStatusCode();

        // Each request without a cookie is a new guest, as a script that drops its cookies is.
        for (var i = 0; i < 2; i++)
        {
            using var fresh = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = _shop.GatewayAddress };
            (await fresh.PutAsJsonAsync(line, new { productId = stall.ProductId, quantity = 1 })).EnsureSuccessStatusCode();
        }

        using var script = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = _shop.GatewayAddress };
        var refused = await script.PutAsJsonAsync(line, new { productId = stall.ProductId, quantity = 1 });
        var stillShopping = await known.PutAsJsonAsync(line, new { productId = stall.ProductId, quantity = 2 });

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("rate_limited", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, stillShopping.StatusCode);
    }
}
