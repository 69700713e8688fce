using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Marketplace.IntegrationTests;

public sealed class ExchangeRateStack : IAsyncLifetime
{
    public GatewayStack Stack { get; } = new() { WithServices = false };

    public Task InitializeAsync() => Stack.InitializeAsync();

    public Task DisposeAsync() => Stack.DisposeAsync();
}

/// <summary>The rates behind visitors' approximate prices: anyone reads them, only the platform admin sets them, and a wrong one is refused at its field.</summary>
public sealed class ExchangeRateTests(ExchangeRateStack fixture) : IClassFixture<ExchangeRateStack>
{
    private GatewayStack Stack => fixture.Stack;

    [Fact]
    public async Task Only_the_platform_admin_sets_the_rates_and_wrong_ones_are_refused_each_at_its_field()
    {
        using var admin = await Stack.SignedInPlatformAdminAsync();
        using var shopper = Stack.NewBrowser();
        (await shopper.Http.PostAsJsonAsync("/api/account/register", new { displayName = "Emma", email = "emma@wisata.test", password = "pantai-binor-indah" })).EnsureSuccessStatusCode();
        await shopper.SignInAsync("emma@wisata.test", "pantai-binor-indah");
        using var anonymous = Stack.NewApiClient();

        var byShopper = await shopper.Http.PutAsJsonAsync("/api/account/exchange-rates", new { rates = new Dictionary<string, decimal> { ["USD"] = 1m } });
        var byNobody = await anonymous.PutAsJsonAsync("/api/account/exchange-rates", new { rates = new Dictionary<string, decimal> { ["USD"] = 1m } });
        var wrong = await admin.Http.PutAsJsonAsync("/api/account/exchange-rates",
            new { rates = new Dictionary<string, decimal?> { ["USD"] = 0m, ["EUR"] = -17_000m, ["GBP"] = 20_000m, ["JPY"] = null, ["SGD"] = 12_000m } });
        var afterWrong = await anonymous.GetFromJsonAsync<JsonElement>("/api/account/exchange-rates");
        var set = await admin.Http.PutAsJsonAsync("/api/account/exchange-rates", new { rates = new Dictionary<string, decimal> { ["USD"] = 16_250.5m, ["JPY"] = 105.3m } });
        var read = await anonymous.GetFromJsonAsync<JsonElement>("/api/account/exchange-rates");

        Assert.True(byShopper.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{(int)byShopper.StatusCode}");
        Assert.True(byNobody.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, $"{(int)byNobody.StatusCode}");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var errors = (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["rates.EUR", "rates.GBP", "rates.JPY", "rates.USD"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(0, afterWrong.GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var rates = read.EnumerateArray().ToDictionary(r => r.GetProperty("currency").GetString()!, r => r.GetProperty("rupiahPerUnit").GetDecimal());
        Assert.Equal(new Dictionary<string, decimal> { ["USD"] = 16_250.5m, ["JPY"] = 105.3m }, rates);
        Assert.All(read.EnumerateArray(), r => Assert.True(r.GetProperty("fresh").GetBoolean()));
        var trail = await admin.Http.GetFromJsonAsync<JsonElement>("/api/account/audit?action=platform.exchange-rates-set");
        Assert.Single(trail.GetProperty("entries").EnumerateArray());
    }
}
