using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Marketplace.IntegrationTests;

/// <summary>
/// A NUL (which PostgreSQL cannot store) or another control character in any text field of any service is refused
/// with 400 at that field, before anything is stored; line breaks only where a text may have several lines.
/// </summary>
public sealed class ControlCharacterTests
{
    [Fact]
    public async Task Control_characters_are_refused_at_their_field_in_every_service_and_nothing_is_stored()
    {
        await using var stack = new GatewayStack();
        await stack.InitializeAsync();
        using var platform = await stack.SignedInPlatformAdminAsync();
        var party = await stack.CooperativeWithAdminAndMemberAsync(platform, "binor-kendali");
        var cooperative = party.Cooperative.Id;
        using var anonymous = stack.NewBrowser();

        // Who sends it, how, where, the body (with "\u0000" or another control character in one field), and that field.
        var cases = new (HttpClient Client, HttpMethod Method, string Path, string Body, string Field)[]
        {
            (anonymous.Http, HttpMethod.Post, "/api/account/register",
                """{"displayName":"Ibu\u0000Nul","email":"nul@wisata.test","password":"kerupuk-ikan-enak"}""", "displayName"),
            (party.Admin.Http, HttpMethod.Post, "/api/account/invitations",
                $$"""{"cooperativeId":"{{cooperative}}","kind":"member","inviteeName":"Bu\u0000Ani"}""", "inviteeName"),
            (party.Member.Http, HttpMethod.Post, "/api/catalog/products",
                """{"category":"kerajinan","listing":{"nameId":"Tas\u0000Pandan","descriptionId":"Tas anyaman."},"variants":[{"sku":"TAS-NUL","label":"Sedang","priceRupiah":85000,"weightGrams":400,"stock":3}]}""", "listing.nameId"),
            (party.Member.Http, HttpMethod.Post, "/api/catalog/products",
                """{"category":"kerajinan","listing":{"nameId":"Tas Pandan Nul","descriptionId":"Baris satu\nbaris dua"},"variants":[{"sku":"TAS-NUL","label":"Sed\u0007ang","priceRupiah":85000,"weightGrams":400,"stock":3}]}""", "variants[0].label"),
            (party.Admin.Http, HttpMethod.Put, $"/api/catalog/cooperatives/{cooperative}/profile",
                """{"story":"Kisah kami\n\u0000","kioskLocation":"Pantai Binor"}""", "story"),
            (party.Admin.Http, HttpMethod.Put, $"/api/catalog/cooperatives/{cooperative}/name",
                """{"name":"Koperasi\nBaris Dua"}""", "name"),
            (party.Member.Http, HttpMethod.Put, "/api/catalog/members/me",
                """{"displayName":"Bu\u001bSiti","story":"Saya membuat tas."}""", "displayName"),
            (anonymous.Http, HttpMethod.Post, $"/api/orders/baskets/{cooperative}/checkout",
                """{"name":"Dewi\u0000","whatsApp":"081234567890","fulfilment":"pickup","payment":"card"}""", "name"),
            (party.Member.Http, HttpMethod.Post, "/api/settlement/members/me/costs",
                """{"category":"bahan","amountRupiah":15000,"date":"2026-11-30","note":"Pandan\u0000"}""", "note"),
        };

        var answers = new List<string>();
        foreach (var (client, method, path, body, field) in cases)
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var refusedAtField = response.StatusCode == HttpStatusCode.BadRequest
                && response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                && JsonDocument.Parse(text).RootElement.TryGetProperty("fieldCodes", out var codes)
                && codes.TryGetProperty(field, out var fieldCodes)
                && fieldCodes.EnumerateArray().Any(c => c.GetString() == "control_character");
            answers.Add(refusedAtField ? $"{path} refused at {field}" : $"{path}: {(int)response.StatusCode} {text}");
        }

        Assert.Equal(cases.Select(c => $"{c.Path} refused at {c.Field}"), answers);

        // A query string is refused at its parameter too, and so is a search text over its length.
        foreach (var q in new[] { "tas%00pandan", new string('a', 5_000) })
        {
            var search = await anonymous.Http.GetAsync(new Uri("/api/catalog/products?q=" + q, UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadRequest, search.StatusCode);
            Assert.True(JsonDocument.Parse(await search.Content.ReadAsStringAsync()).RootElement.GetProperty("fieldCodes").TryGetProperty("q", out _));
        }

        // Outside JSON bodies too: a path (a cooperative's slug, a pickup code), a query parameter, the token endpoint's
        // login. Each is a 400 with a problem body naming the parameter (or "path"), never a 500 from PostgreSQL.
        var outside = new (HttpClient Client, HttpRequestMessage Request, string Field)[]
        {
            (anonymous.Http, new HttpRequestMessage(HttpMethod.Get, new Uri("/api/catalog/cooperatives/binor%1Bkendali", UriKind.Relative)), "path"),
            (party.Admin.Http, new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/orders/kiosk/{cooperative}/orders/AB%07CD", UriKind.Relative)), "path"),
            (anonymous.Http, new HttpRequestMessage(HttpMethod.Get, new Uri("/api/catalog/products?category=kerajinan%07", UriKind.Relative)), "category"),
            (anonymous.Http, new HttpRequestMessage(HttpMethod.Post, new Uri("/connect/token", UriKind.Relative))
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "password", ["username"] = "nul\0@wisata.test", ["password"] = "kerupuk-ikan-enak",
                }),
            }, "username"),
        };
        foreach (var (client, request, field) in outside)
        {
            using (request)
            {
                var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest && response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                    $"{request.RequestUri}: {(int)response.StatusCode} {text}");
                Assert.Equal("control_character", JsonDocument.Parse(text).RootElement.GetProperty("fieldCodes").GetProperty(field)[0].GetString());
            }
        }

        // A NUL in a path is refused by the server itself, before any code of ours: 400 (with its own empty body).
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.Http.GetAsync(new Uri("/api/catalog/cooperatives/binor%00kendali", UriKind.Relative))).StatusCode);

        // Nothing was stored: no account, no product, the story and name unchanged.
        Assert.Equal(HttpStatusCode.Unauthorized, (await stack.NewBrowser().TrySignInAsync("nul@wisata.test", "kerupuk-ikan-enak")).StatusCode);
        var mine = await party.Member.Http.GetStringAsync(new Uri("/api/catalog/products/mine", UriKind.Relative));
        Assert.DoesNotContain("Tas", mine, StringComparison.Ordinal);
        var coop = await party.Admin.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/catalog/cooperatives/{cooperative}", UriKind.Relative));
        Assert.Equal(party.Cooperative.Name, coop.GetProperty("name").GetString());
    }
}
