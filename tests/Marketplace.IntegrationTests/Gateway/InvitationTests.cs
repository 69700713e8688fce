using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Gateway.Data;
using Marketplace.Gateway.Invitations;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>Cooperatives invite their members: one-time codes that expire, and Catalog hears who joined.</summary>
public sealed class InvitationTests(GatewayStack stack) : IClassFixture<GatewayStack>
{
    [Fact]
    public async Task An_invitation_makes_a_member_once_and_Catalog_learns_of_her()
    {
        using var platform = await stack.SignedInPlatformAdminAsync();
        var party = await stack.CooperativeWithAdminAndMemberAsync(platform, "koperasi-undangan");
        var code = await GatewayStack.InviteAsync(party.Admin, party.Cooperative.Id, "member", "Bu Ani");

        var preview = await stack.NewApiClient().PostAsJsonAsync("/api/account/invitations/preview", new { code = code.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal) });
        var (ani, account) = await stack.JoinAsync(code, "Bu Ani", "ani@binor.test");
        var again = await stack.NewApiClient().PostAsJsonAsync("/api/account/invitations/accept",
            new { code, displayName = "Orang Lain", email = "lain@binor.test", password = "mencoba-lagi-ya" });

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("Koperasi koperasi-undangan", (await preview.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cooperativeName").GetString());
        Assert.Equal(["member"], account.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray());
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var memberId = account.GetProperty("memberId").GetGuid();
        await Eventually.TrueAsync(
            async () => (await stack.NewApiClient().GetAsync(new Uri($"/api/catalog/members/{memberId}", UriKind.Relative))).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30),
            "Catalog to learn of the new member");
        var member = await stack.NewApiClient().GetFromJsonAsync<JsonElement>($"/api/catalog/members/{memberId}");
        Assert.Equal("Bu Ani", member.GetProperty("displayName").GetString());
        Assert.Equal(HttpStatusCode.OK, (await ani.Http.GetAsync(new Uri("/api/catalog/products/mine", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Expired_and_withdrawn_invitations_cannot_be_used()
    {
        using var platform = await stack.SignedInPlatformAdminAsync();
        var cooperative = await stack.RegisterCooperativeAsync(platform, "koperasi-kedaluwarsa");
        var expiring = await GatewayStack.InviteAsync(platform, cooperative.Id, "member");
        var withdrawn = await GatewayStack.InviteAsync(platform, cooperative.Id, "member");
        await using (var scope = stack.Gateway.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
            var hash = InvitationCode.Hash(expiring);
            await db.Invitations.Where(i => i.CodeHash == hash)
                .ExecuteUpdateAsync(set => set.SetProperty(i => i.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }

        var list = await platform.Http.GetFromJsonAsync<JsonElement>($"/api/account/invitations/cooperative/{cooperative.Id}");
        var withdrawnId = list.EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).First();
        Assert.Equal(HttpStatusCode.NoContent, (await platform.Http.DeleteAsync(new Uri($"/api/account/invitations/{withdrawnId}", UriKind.Relative))).StatusCode);

        foreach (var code in new[] { expiring, withdrawn })
        {
            var accepted = await stack.NewApiClient().PostAsJsonAsync("/api/account/invitations/accept",
                new { code, displayName = "Bu Tini", email = $"tini-{code}@binor.test", password = "terlambat-sekali" });
            Assert.Equal(HttpStatusCode.NotFound, accepted.StatusCode);
        }

        var statuses = (await platform.Http.GetFromJsonAsync<JsonElement>($"/api/account/invitations/cooperative/{cooperative.Id}"))
            .EnumerateArray().Select(i => i.GetProperty("status").GetString()!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["expired", "revoked"], statuses);
    }

    [Fact]
    public async Task A_failed_registration_leaves_the_invitation_usable()
    {
        using var platform = await stack.SignedInPlatformAdminAsync();
        var cooperative = await stack.RegisterCooperativeAsync(platform, "koperasi-ulang");
        var code = await GatewayStack.InviteAsync(platform, cooperative.Id, "member");

        var tooShort = await stack.NewApiClient().PostAsJsonAsync("/api/account/invitations/accept",
            new { code, displayName = "Bu Wati", email = "wati@binor.test", password = "pendek" });
        var (_, account) = await stack.JoinAsync(code, "Bu Wati", "wati@binor.test");

        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Equal(JsonValueKind.String, account.GetProperty("memberId").ValueKind);
    }

    [Fact]
    public async Task Two_people_racing_for_one_code_make_one_member()
    {
        using var platform = await stack.SignedInPlatformAdminAsync();
        var cooperative = await stack.RegisterCooperativeAsync(platform, "koperasi-balapan");
        var code = await GatewayStack.InviteAsync(platform, cooperative.Id, "member");

        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => stack.NewApiClient().PostAsJsonAsync("/api/account/invitations/accept",
            new { code, displayName = $"Peserta {i}", email = $"peserta{i}@binor.test", password = "siapa-cepat-dia-dapat" })));

        Assert.Equal(1, attempts.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(3, attempts.Count(a => a.StatusCode == HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task A_signed_in_shopper_joins_with_her_own_account_and_a_member_of_one_cooperative_cannot_run_another()
    {
        using var platform = await stack.SignedInPlatformAdminAsync();
        var first = await stack.RegisterCooperativeAsync(platform, "koperasi-pertama");
        var second = await stack.RegisterCooperativeAsync(platform, "koperasi-kedua");
        using var shopper = stack.NewBrowser();
        var registered = await shopper.Http.PostAsJsonAsync("/api/account/register", new { displayName = "Bu Yuni", email = "yuni@binor.test", password = "belanja-lalu-gabung" });
        shopper.RememberAntiforgeryToken(await registered.Content.ReadFromJsonAsync<JsonElement>());

        var joined = await shopper.Http.PostAsJsonAsync("/api/account/invitations/accept", new { code = await GatewayStack.InviteAsync(platform, first.Id, "member") });
        var account = await joined.Content.ReadFromJsonAsync<JsonElement>();
        shopper.RememberAntiforgeryToken(account);
        var adminElsewhere = await shopper.Http.PostAsJsonAsync("/api/account/invitations/accept", new { code = await GatewayStack.InviteAsync(platform, second.Id, "admin") });

        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        Assert.Equal(["member", "shopper"], account.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray());
        Assert.Equal(HttpStatusCode.Conflict, adminElsewhere.StatusCode);
    }

    [Fact]
    public async Task An_invitation_into_an_unknown_cooperative_is_refused()
    {
        using var platform = await stack.SignedInPlatformAdminAsync();

        var response = await platform.Http.PostAsJsonAsync("/api/account/invitations", new { cooperativeId = Guid.NewGuid(), kind = "admin" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
