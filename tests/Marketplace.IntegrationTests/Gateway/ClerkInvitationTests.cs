using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Contracts.Gateway;
using Marketplace.Testing;

namespace Marketplace.IntegrationTests;

/// <summary>Kiosk clerks (kasir): invited by their cooperative's admin, they sell for that one cooperative and nothing else.</summary>
public sealed class ClerkInvitationTests(GatewayStack stack) : IClassFixture<GatewayStack>
{
    [Fact]
    public async Task A_clerk_invitation_makes_a_kiosk_clerk_of_that_cooperative_only()
    {
        using var platform = await stack.SignedInPlatformAdminAsync();
        var party = await stack.CooperativeWithAdminAndMemberAsync(platform, "koperasi-kasir");
        var other = await stack.RegisterCooperativeAsync(platform, "koperasi-kasir-lain");
        var code = await GatewayStack.InviteAsync(party.Admin, party.Cooperative.Id, "clerk", "Mbak Rina");

        var preview = await stack.NewApiClient().PostAsJsonAsync("/api/account/invitations/preview", new { code });
        Assert.Equal("clerk", (await preview.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kind").GetString());
        var (rina, account) = await stack.JoinAsync(code, "Mbak Rina", "rina@kasir.test");

        Assert.Equal(["kiosk-clerk"], Strings(account.GetProperty("roles")));
        Assert.Equal([party.Cooperative.Id], account.GetProperty("cooperativeIds").EnumerateArray().Select(c => c.GetGuid()).ToArray());
        Assert.Equal(JsonValueKind.Null, account.GetProperty("memberId").ValueKind);
        // Notifications hears how to reach her, but not as one of the cooperative's admins.
        var userId = account.GetProperty("id").GetGuid();
        await Eventually.TrueAsync(async () => (await stack.PublishedAsync<AccountContactChanged>()).Any(c => c.UserId == userId), TimeSpan.FromSeconds(30), "her contact to be announced");
        Assert.All((await stack.PublishedAsync<AccountContactChanged>()).Where(c => c.UserId == userId), c => Assert.Empty(c.AdministeredCooperatives));

        // She reaches her kiosk's catalogue through the Gateway, not another cooperative's, and none of the admin's pages.
        Assert.Equal(HttpStatusCode.OK, (await rina.Http.GetAsync(new Uri($"/api/catalog/cooperatives/{party.Cooperative.Id}/counter-catalogue", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await rina.Http.GetAsync(new Uri($"/api/catalog/cooperatives/{other.Id}/counter-catalogue", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rina.Http.GetAsync(new Uri($"/api/account/invitations/cooperative/{party.Cooperative.Id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rina.Http.PostAsJsonAsync("/api/account/invitations", new { cooperativeId = party.Cooperative.Id, kind = "clerk" })).StatusCode);

        // A member of the same cooperative may also be its clerk: the roles add up.
        var siti = await party.Member.Http.PostAsJsonAsync("/api/account/invitations/accept", new { code = await GatewayStack.InviteAsync(party.Admin, party.Cooperative.Id, "clerk") });
        Assert.Equal(HttpStatusCode.OK, siti.StatusCode);
        var sitiAccount = await siti.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["kiosk-clerk", "member"], Strings(sitiAccount.GetProperty("roles")));
        Assert.Equal(party.MemberId, sitiAccount.GetProperty("memberId").GetGuid());
    }

    [Fact]
    public async Task Cooperatives_never_mix_a_clerk_of_one_is_no_admin_or_member_of_another_and_the_other_way_round()
    {
        using var platform = await stack.SignedInPlatformAdminAsync();
        var first = await stack.CooperativeWithAdminAndMemberAsync(platform, "koperasi-campur-satu");
        var second = await stack.CooperativeWithAdminAndMemberAsync(platform, "koperasi-campur-dua");
        var (clerk, _) = await stack.JoinAsync(await GatewayStack.InviteAsync(first.Admin, first.Cooperative.Id, "clerk"), "Mbak Dewi", "dewi@campur.test");

        async Task<HttpResponseMessage> AcceptAsync(Browser who, Browser inviter, Guid cooperativeId, string kind) =>
            await who.Http.PostAsJsonAsync("/api/account/invitations/accept", new { code = await GatewayStack.InviteAsync(inviter, cooperativeId, kind) });

        // The clerk of the first as the second's admin or member; the second's admin or member as the first's clerk.
        var refused = new[]
        {
            await AcceptAsync(clerk, second.Admin, second.Cooperative.Id, "admin"),
            await AcceptAsync(clerk, second.Admin, second.Cooperative.Id, "member"),
            await AcceptAsync(clerk, second.Admin, second.Cooperative.Id, "clerk"),
            await AcceptAsync(second.Admin, first.Admin, first.Cooperative.Id, "clerk"),
            await AcceptAsync(second.Member, first.Admin, first.Cooperative.Id, "clerk"),
        };
        foreach (var response in refused)
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("cooperative_conflict", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        // Nothing was granted by a refusal: the clerk is still only the first cooperative's clerk.
        var me = await clerk.Http.GetFromJsonAsync<JsonElement>("/api/account/me");
        Assert.Equal(["kiosk-clerk"], Strings(me.GetProperty("roles")));
        Assert.Equal([first.Cooperative.Id], me.GetProperty("cooperativeIds").EnumerateArray().Select(c => c.GetGuid()).ToArray());

        // Her own cooperative may make her its admin too.
        var promoted = await AcceptAsync(clerk, first.Admin, first.Cooperative.Id, "admin");
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        Assert.Equal(["cooperative-admin", "kiosk-clerk"], Strings((await promoted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("roles")));
    }

    [Fact]
    public async Task An_admin_lists_and_withdraws_clerk_invitations_like_any_other()
    {
        using var platform = await stack.SignedInPlatformAdminAsync();
        var party = await stack.CooperativeWithAdminAndMemberAsync(platform, "koperasi-kasir-tarik");
        var code = await GatewayStack.InviteAsync(party.Admin, party.Cooperative.Id, "clerk", "Mbak Yanti");

        var listed = (await party.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/account/invitations/cooperative/{party.Cooperative.Id}"))
            .EnumerateArray().Single(i => i.GetProperty("inviteeName").GetString() == "Mbak Yanti");
        Assert.Equal(("clerk", "open"), (listed.GetProperty("kind").GetString(), listed.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, (await party.Admin.Http.DeleteAsync(new Uri($"/api/account/invitations/{listed.GetProperty("id").GetGuid()}", UriKind.Relative))).StatusCode);

        var accepted = await stack.NewApiClient().PostAsJsonAsync("/api/account/invitations/accept",
            new { code, displayName = "Mbak Yanti", email = "yanti@kasir.test", password = "kata-sandi-kasir" });
        Assert.Equal(HttpStatusCode.NotFound, accepted.StatusCode);
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal).ToArray();
}
