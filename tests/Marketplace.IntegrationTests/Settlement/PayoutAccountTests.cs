using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.Orders.Settlement.Data;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>
/// A member's bank account is used for payouts only once a second person (another admin of her cooperative, not the
/// one who proposed it, never the member herself) has confirmed it; until then she waits, with the reason.
/// </summary>
public sealed class PayoutAccountTests(SettlementHost host) : IClassFixture<SettlementHost>
{
    private const string BriNumber = "0123-01-000123-56-7";

    [Fact]
    public async Task A_proposed_account_waits_for_a_second_admin_then_the_batch_and_bank_file_carry_it_and_a_change_waits_again()
    {
        var cooperative = Guid.NewGuid();
        var siti = Guid.NewGuid();
        await JoinAsync(cooperative, siti, "Siti Aminah");
        await SellAndHandOverAsync(cooperative, siti, 75_000, expectedEntries: 2);
        var her = host.Member(cooperative, siti);
        var first = host.Admin(cooperative, Guid.NewGuid());
        var second = host.Admin(cooperative, Guid.NewGuid());

        var proposed = await ReadAsync(await her.PutAsJsonAsync("/api/settlement/members/me/payout-account", new { bank = "002", accountNumber = BriNumber, accountName = "Siti Aminah" }));
        var waitingBatch = await PrepareAsync(first, cooperative);
        var balanceWhileWaiting = await her.GetFromJsonAsync<JsonElement>("/api/settlement/members/me/balance");

        // Not used before a second admin confirms: she is neither paid to it nor in cash; she waits, with the reason.
        Assert.Equal(JsonValueKind.Null, proposed.GetProperty("confirmed").ValueKind);
        Assert.Equal("Siti Aminah", proposed.GetProperty("pending").GetProperty("accountName").GetString());
        Assert.Empty(waitingBatch.GetProperty("lines").EnumerateArray());
        var waiting = Assert.Single(waitingBatch.GetProperty("waiting").EnumerateArray());
        Assert.Equal(siti, waiting.GetProperty("memberId").GetGuid());
        Assert.Equal("account_unconfirmed", waiting.GetProperty("reason").GetString());
        Assert.Equal(67_500, waiting.GetProperty("availableRupiah").GetInt64());
        Assert.Equal(67_500, balanceWhileWaiting.GetProperty("availableRupiah").GetInt64());

        var confirmed = await second.PostAsync(new Uri($"/api/settlement/payout-account-changes/{ChangeId(proposed)}/confirm", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var state = await her.GetFromJsonAsync<JsonElement>("/api/settlement/members/me/payout-account");
        Assert.Equal(JsonValueKind.Null, state.GetProperty("pending").ValueKind);
        Assert.Equal(TokenUser(second), state.GetProperty("confirmed").GetProperty("confirmedBy").GetGuid());

        var paid = await PrepareAsync(first, cooperative);
        var line = Assert.Single(paid.GetProperty("lines").EnumerateArray());
        var csv = await first.GetStringAsync(new Uri($"/api/settlement/payout-batches/{paid.GetProperty("id").GetGuid()}/bank-transfers.csv", UriKind.Relative));

        Assert.Empty(paid.GetProperty("waiting").EnumerateArray());
        Assert.Equal("bank", line.GetProperty("method").GetString());
        Assert.Equal("002", line.GetProperty("bankCode").GetString());
        Assert.Equal("BRI", line.GetProperty("bank").GetString());
        Assert.Equal("012301000123567", line.GetProperty("accountNumber").GetString());
        Assert.Equal("Siti Aminah", line.GetProperty("accountName").GetString());
        Assert.Equal(67_500, line.GetProperty("amountRupiah").GetInt64());
        Assert.Contains("\"002\",\"BRI\",\"012301000123567\",\"Siti Aminah\",67500,BAYAR-", csv, StringComparison.Ordinal);

        // A changed account waits again: the next payout neither goes to the new account nor quietly to the old one.
        await SellAndHandOverAsync(cooperative, siti, 40_000, expectedEntries: 2 + 1 + 2);
        var change = await ReadAsync(await her.PutAsJsonAsync("/api/settlement/members/me/payout-account", new { bank = "014", accountNumber = "123 456 7890", accountName = "Siti Aminah" }));
        var afterChange = await PrepareAsync(first, cooperative);
        var csvAfterChange = await first.GetStringAsync(new Uri($"/api/settlement/payout-batches/{afterChange.GetProperty("id").GetGuid()}/bank-transfers.csv", UriKind.Relative));

        Assert.Equal("012301000123567", change.GetProperty("confirmed").GetProperty("accountNumber").GetString());
        Assert.Equal("1234567890", change.GetProperty("pending").GetProperty("accountNumber").GetString());
        Assert.Empty(afterChange.GetProperty("lines").EnumerateArray());
        var waitingAgain = Assert.Single(afterChange.GetProperty("waiting").EnumerateArray());
        Assert.Equal("account_change_pending", waitingAgain.GetProperty("reason").GetString());
        Assert.Equal(36_000, waitingAgain.GetProperty("availableRupiah").GetInt64());
        Assert.DoesNotContain("Siti", csvAfterChange, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nobody_confirms_an_account_they_proposed_or_that_pays_themselves_and_only_her_own_cooperative_confirms_it()
    {
        var cooperative = Guid.NewGuid();
        var ani = Guid.NewGuid();
        await JoinAsync(cooperative, ani, "Ani Rahayu");
        var proposer = host.Admin(cooperative, Guid.NewGuid());
        var aniAsAdmin = host.Orders.CreateClient().WithToken(TestTokens.Issuer.Mint(
            new ServiceCaller(Guid.NewGuid(), [MarketplaceRoles.CooperativeAdmin, MarketplaceRoles.Member], [cooperative], ani)));
        var elsewhere = host.Admin(Guid.NewGuid(), Guid.NewGuid());
        var second = host.Admin(cooperative, Guid.NewGuid());

        var proposed = await ReadAsync(await proposer.PutAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/members/{ani}/payout-account",
            new { bank = "009", accountNumber = "0987654321", accountName = "Ani Rahayu" }));
        var confirmUri = new Uri($"/api/settlement/payout-account-changes/{ChangeId(proposed)}/confirm", UriKind.Relative);
        var byProposer = await proposer.PostAsync(confirmUri, null);
        var byHerself = await aniAsAdmin.PostAsync(confirmUri, null);
        var byHerMemberToken = await host.Member(cooperative, ani).PostAsync(confirmUri, null);
        var byAnotherCooperative = await elsewhere.PostAsync(confirmUri, null);
        var proposedElsewhere = await elsewhere.PutAsJsonAsync($"/api/settlement/cooperatives/{Guid.NewGuid()}/members/{ani}/payout-account",
            new { bank = "009", accountNumber = "0987654321", accountName = "Ani Rahayu" });
        var bySecond = await second.PostAsync(confirmUri, null);
        var again = await second.PostAsync(confirmUri, null);

        Assert.Equal(HttpStatusCode.Conflict, byProposer.StatusCode);
        Assert.Equal("same_person", await CodeAsync(byProposer));
        Assert.Equal(HttpStatusCode.Conflict, byHerself.StatusCode);
        Assert.Equal("own_account", await CodeAsync(byHerself));
        Assert.Equal(HttpStatusCode.Forbidden, byHerMemberToken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byAnotherCooperative.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, proposedElsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bySecond.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        await using var scope = host.Orders.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SettlementDbContext>();
        var account = await db.PayoutAccounts.SingleAsync(a => a.MemberId == ani);
        // Who proposed and who confirmed, and when, stay on record.
        Assert.Equal(TokenUser(proposer), account.ProposedBy);
        Assert.Equal(TokenUser(second), account.ConfirmedBy);
        Assert.True(account.ConfirmedAt >= account.ProposedAt);
        Assert.Equal("0987654321", account.AccountNumber);
    }

    [Fact]
    public async Task Every_mistake_in_a_proposed_account_is_named_at_its_field_at_once_and_nothing_is_proposed()
    {
        var cooperative = Guid.NewGuid();
        var wati = Guid.NewGuid();
        var her = host.Member(cooperative, wati);

        var response = await her.PutAsJsonAsync("/api/settlement/members/me/payout-account", new { bank = "", accountNumber = "12AB5678", accountName = " " });
        var shortBca = await her.PutAsJsonAsync("/api/settlement/members/me/payout-account", new { bank = "014", accountNumber = "12345", accountName = "Wati" });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var state = await her.GetFromJsonAsync<JsonElement>("/api/settlement/members/me/payout-account");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("bank", out _));
        Assert.True(errors.TryGetProperty("accountNumber", out _));
        Assert.True(errors.TryGetProperty("accountName", out _));
        Assert.Equal("number_not_digits", problem.GetProperty("fieldCodes").GetProperty("accountNumber")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, shortBca.StatusCode);
        Assert.Equal(JsonValueKind.Null, state.GetProperty("pending").ValueKind);
    }

    /// <summary>Catalog tells Settlement who belongs to which cooperative.</summary>
    private async Task JoinAsync(Guid cooperative, Guid member, string name)
    {
        await host.PublishAsync(new MemberUpdated(member, cooperative, name, string.Empty, "active", 1, DateTimeOffset.UtcNow), Guid.NewGuid());
        await Eventually.TrueAsync(
            async () =>
            {
                await using var scope = host.Orders.CreateScope();
                return await scope.ServiceProvider.GetRequiredService<SettlementDbContext>().Members.AnyAsync(m => m.MemberId == member && m.CooperativeId == cooperative);
            },
            because: "Settlement to learn of the member");
    }

    private async Task SellAndHandOverAsync(Guid cooperative, Guid member, long total, int expectedEntries)
    {
        var order = Guid.NewGuid();
        var line = new SoldLine(Guid.NewGuid(), member, Guid.NewGuid(), Guid.NewGuid(), "kerupuk", "Kerupuk", 1, total, total, 10m);
        await host.PublishAsync(new OrderPaid(order, cooperative, PaymentChannel.Cash, null, [line], 0, total, DateTimeOffset.UtcNow), Guid.NewGuid());
        await host.PublishAsync(new OrderLinesFulfilled(order, cooperative, [new FulfilledLine(line.OrderLineId, member, 1)], "handed_over", DateTimeOffset.UtcNow), Guid.NewGuid());
        await Eventually.TrueAsync(async () => await host.EntriesAsync(cooperative) == expectedEntries, because: "the sale and the hand-over to be posted");
    }

    private static async Task<JsonElement> PrepareAsync(HttpClient admin, Guid cooperative)
    {
        var response = await admin.PostAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/payout-batches", new { minimumRupiah = 0 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Guid ChangeId(JsonElement state) => state.GetProperty("pending").GetProperty("id").GetGuid();

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

    private static Guid TokenUser(HttpClient client)
    {
        var payload = client.DefaultRequestHeaders.Authorization!.Parameter!.Split('.')[1];
        var json = Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=').Replace('-', '+').Replace('_', '/'));
        return JsonDocument.Parse(json).RootElement.GetProperty("sub").GetGuid();
    }
}
