using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Marketplace.IntegrationTests;

/// <summary>
/// Who did what, through the Gateway as people use it: each kind of action (moderation, stock, money, roles,
/// invitations, settings) lands in its service's trail with its actor, address and values; each cooperative reads only
/// its own; and the chain check finds a row changed or removed behind the application's back.
/// </summary>
public sealed class AuditTrailTests(GatewayStack stack) : IClassFixture<GatewayStack>
{
    [Fact]
    public async Task Each_kind_of_action_is_recorded_with_who_from_where_and_what_changed_and_only_its_cooperative_reads_it()
    {
        using var platform = await stack.SignedInPlatformAdminAsync();
        var party = await stack.CooperativeWithAdminAndMemberAsync(platform, "koperasi-jejak");
        var other = await stack.CooperativeWithAdminAndMemberAsync(platform, "koperasi-jejak-lain");
        var cooperative = party.Cooperative.Id;
        var admin = party.Admin.Http;

        // Settings, in three services.
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/catalog/cooperatives/{cooperative}/fee-policy", new { defaultPercent = 12.5m })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/settings", new { holdingDays = 5 })).StatusCode);
        await Eventually.TrueAsync(
            async () => (await admin.PutAsJsonAsync($"/api/orders/merchants/{cooperative}/kiosk-hold-settings",
                new { pickupDaysAhead = 2, maxOpenPerPhone = 3, maxOpenPerClient = 10, maxSharePercent = 50 })).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30), "Orders to know the cooperative");

        // Moderation and stock.
        var product = await CreateProductAsync(party.Member, "Kerupuk Ikan Jejak");
        await KioskDeliveries.BringAsync(party.Member.Http, admin, (product.VariantId, 5));
        Assert.Equal(HttpStatusCode.OK, (await party.Member.Http.PostAsync(new Uri($"/api/catalog/products/{product.Id}/submit", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync(new Uri($"/api/catalog/products/{product.Id}/approve", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/catalog/products/{product.Id}/variants/{product.VariantId}/stock",
            new { onHand = 3, reason = "Dua bungkus rusak kena air" })).StatusCode);

        // Money at the kiosk: a till opened, cash taken out of it.
        var session = await Counter.OpenTillAsync(admin, cooperative, floatRupiah: 100_000);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/orders/kiosk/{cooperative}/till-sessions/{session}/cash-movements",
            new { amountRupiah = 20_000L, direction = "out", reason = "Beli kantong plastik" })).StatusCode);

        var catalog = await TrailAsync(admin, "/api/catalog/audit", cooperative);
        var orders = await TrailAsync(admin, "/api/orders/audit", cooperative);
        var settlement = await TrailAsync(admin, "/api/settlement/audit", cooperative);
        var accounts = await TrailAsync(admin, "/api/account/audit", cooperative);

        var approved = Single(catalog, "product.approved");
        Assert.Equal("Bu Ketua", approved.GetProperty("actorName").GetString());
        Assert.Contains("cooperative-admin", approved.GetProperty("actorRole").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(approved.GetProperty("clientAddress").GetString()));
        Assert.Equal(product.Id.ToString(), approved.GetProperty("subjectId").GetString());
        Assert.Equal("submitted", approved.GetProperty("before").GetProperty("status").GetString(), ignoreCase: true);
        Assert.Equal("published", approved.GetProperty("after").GetProperty("status").GetString(), ignoreCase: true);

        var adjusted = Single(catalog, "stock.adjusted");
        Assert.Equal((5, 3), (adjusted.GetProperty("before").GetProperty("onHand").GetInt32(), adjusted.GetProperty("after").GetProperty("onHand").GetInt32()));
        Assert.Equal("Dua bungkus rusak kena air", adjusted.GetProperty("reason").GetString());

        var fee = Single(catalog, "cooperative.fee-changed");
        Assert.Equal((10m, 12.5m), (fee.GetProperty("before").GetProperty("feePercent").GetDecimal(), fee.GetProperty("after").GetProperty("feePercent").GetDecimal()));
        Assert.Contains("platform-admin", Single(catalog, "cooperative.registered").GetProperty("actorRole").GetString(), StringComparison.Ordinal);

        var paidOut = Single(orders, "till.cash-paid-out");
        Assert.Equal((0L, 20_000L), (paidOut.GetProperty("before").GetProperty("paidOutRupiah").GetInt64(), paidOut.GetProperty("after").GetProperty("paidOutRupiah").GetInt64()));
        Assert.Equal("Beli kantong plastik", paidOut.GetProperty("reason").GetString());
        Assert.Equal(100_000L, Single(orders, "till.opened").GetProperty("after").GetProperty("floatRupiah").GetInt64());
        Assert.Equal(2, Single(orders, "settings.kiosk-holds-changed").GetProperty("after").GetProperty("pickupDaysAhead").GetInt32());

        var holding = Single(settlement, "settings.holding-days-changed");
        Assert.Equal(5, holding.GetProperty("after").GetProperty("holdingDays").GetInt32());

        // Invitations and the roles they grant: the admin's own joining is recorded with her as the actor.
        Assert.Equal(2, accounts.Count(e => e.GetProperty("action").GetString() == "invitation.created"));
        var joined = accounts.Where(e => e.GetProperty("action").GetString() == "role.granted").ToList();
        Assert.Equal(["Bu Ketua", "Bu Siti"], joined.Select(e => e.GetProperty("actorName").GetString()!).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("member", joined.Single(e => e.GetProperty("actorName").GetString() == "Bu Siti").GetProperty("after").GetProperty("role").GetString());

        // Filtering by kind: stock only.
        var stockOnly = await TrailAsync(admin, "/api/catalog/audit", cooperative, "&action=stock");
        Assert.All(stockOnly, e => Assert.StartsWith("stock.", e.GetProperty("action").GetString(), StringComparison.Ordinal));
        Assert.Contains(stockOnly, e => e.GetProperty("action").GetString() == "stock.adjusted");

        // Another cooperative's admin reads none of it, and only the platform admin reads every cooperative's at once.
        Assert.Equal(HttpStatusCode.Forbidden, (await other.Admin.Http.GetAsync(new Uri($"/api/orders/audit?cooperativeId={cooperative}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync(new Uri("/api/catalog/audit", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await party.Member.Http.GetAsync(new Uri($"/api/catalog/audit?cooperativeId={cooperative}", UriKind.Relative))).StatusCode);
        var everything = await platform.Http.GetFromJsonAsync<JsonElement>("/api/catalog/audit?limit=200");
        Assert.Contains(everything.GetProperty("entries").EnumerateArray(), e => e.GetProperty("cooperativeId").GetString() == other.Cooperative.Id.ToString());
    }

    [Fact]
    public async Task Cash_taken_at_the_counter_a_return_paid_from_the_till_and_its_closing_are_recorded_with_the_money()
    {
        using var platform = await stack.SignedInPlatformAdminAsync();
        var party = await stack.CooperativeWithAdminAndMemberAsync(platform, "koperasi-jejak-kasir");
        var cooperative = party.Cooperative.Id;
        var admin = party.Admin.Http;
        var product = await CreateProductAsync(party.Member, "Tas Pandan Jejak Kasir");
        await KioskDeliveries.BringAsync(party.Member.Http, admin, (product.VariantId, 5));
        Assert.Equal(HttpStatusCode.OK, (await party.Member.Http.PostAsync(new Uri($"/api/catalog/products/{product.Id}/submit", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync(new Uri($"/api/catalog/products/{product.Id}/approve", UriKind.Relative), null)).StatusCode);
        var session = await Counter.OpenTillAsync(admin, cooperative, floatRupiah: 50_000);

        // Two bags for cash, as the sale screen sends it; Orders may not have heard of the approved product yet.
        var sale = new
        {
            saleId = Guid.NewGuid(),
            tillSessionId = session,
            soldAt = DateTimeOffset.UtcNow,
            lines = new[] { new { productId = product.Id, variantId = product.VariantId, quantity = 2, unitPriceRupiah = 45_000L } },
            payment = new { channel = "cash", tenderedRupiah = 100_000L, reference = (string?)null },
            buyerWhatsApp = (string?)null,
            language = "id",
        };
        JsonElement recorded = default;
        await Eventually.TrueAsync(async () =>
        {
            var sold = await admin.PostAsJsonAsync($"/api/orders/kiosk/{cooperative}/sales", sale);
            if (!sold.IsSuccessStatusCode)
            {
                return false;
            }

            recorded = await sold.Content.ReadFromJsonAsync<JsonElement>();
            return true;
        }, TimeSpan.FromSeconds(30), "the counter sale to be taken");
        var orderId = recorded.GetProperty("orderId").GetGuid();
        var line = recorded.GetProperty("lines")[0].GetProperty("orderLineId").GetGuid();

        var returned = await Counter.ReturnAsync(admin, cooperative, orderId, "jejak-retur-1", session, line, quantity: 1);
        Assert.True(returned.IsSuccessStatusCode, await returned.Content.ReadAsStringAsync());
        // Float 50,000 + 90,000 taken - 45,000 paid back = 95,000 expected; she counts 94,000.
        var closed = await admin.PostAsJsonAsync($"/api/orders/kiosk/{cooperative}/till-sessions/{session}/close",
            new { countedRupiah = 94_000L, note = "Kurang seribu, kembalian salah" });
        Assert.True(closed.IsSuccessStatusCode, await closed.Content.ReadAsStringAsync());

        var orders = await TrailAsync(admin, "/api/orders/audit", cooperative);
        var soldEntry = Single(orders, "counter.sold");
        Assert.Equal("Bu Ketua", soldEntry.GetProperty("actorName").GetString());
        Assert.Equal(orderId.ToString(), soldEntry.GetProperty("subjectId").GetString());
        Assert.Equal(90_000L, soldEntry.GetProperty("after").GetProperty("totalRupiah").GetInt64());
        Assert.Equal(100_000L, soldEntry.GetProperty("after").GetProperty("tendered").GetInt64());

        var returnEntry = Single(orders, "counter.returned");
        Assert.Equal(orderId.ToString(), returnEntry.GetProperty("subjectId").GetString());
        Assert.Equal(45_000L, returnEntry.GetProperty("after").GetProperty("totalRupiah").GetInt64());

        var closing = Single(orders, "till.closed");
        Assert.Equal("Kurang seribu, kembalian salah", closing.GetProperty("reason").GetString());
        Assert.Contains("94000", closing.GetProperty("after").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_trail_refuses_changes_and_its_check_finds_a_row_altered_or_removed_behind_its_back()
    {
        using var platform = await stack.SignedInPlatformAdminAsync();
        var party = await stack.CooperativeWithAdminAndMemberAsync(platform, "koperasi-rantai");
        var cooperative = party.Cooperative.Id;
        var session = await Counter.OpenTillAsync(party.Admin.Http, cooperative, floatRupiah: 50_000);
        foreach (var amount in new[] { 1_000L, 2_000L, 3_000L })
        {
            Assert.Equal(HttpStatusCode.OK, (await party.Admin.Http.PostAsJsonAsync($"/api/orders/kiosk/{cooperative}/till-sessions/{session}/cash-movements",
                new { amountRupiah = amount, direction = "in", reason = "Uang kecil" })).StatusCode);
        }

        var intact = await party.Admin.Http.GetFromJsonAsync<JsonElement>("/api/orders/audit/check");
        Assert.Equal(JsonValueKind.Null, intact.GetProperty("firstBroken").ValueKind);
        Assert.True(intact.GetProperty("checked").GetInt64() >= 4);
        var paidIn = (await TrailAsync(party.Admin.Http, "/api/orders/audit", cooperative)).Where(e => e.GetProperty("action").GetString() == "till.cash-paid-in")
            .Select(e => e.GetProperty("sequence").GetInt64()).Order().ToList();
        Assert.Equal(3, paidIn.Count);

        await using var scope = stack.OrdersHost.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Marketplace.Orders.OrdersDbContext>();

        // Through the database as the application connects: an update or a delete is refused outright.
        var update = await Assert.ThrowsAsync<PostgresException>(() =>
            db.Database.ExecuteSqlAsync($"UPDATE orders.audit_entries SET reason = 'Tidak ada' WHERE sequence = {paidIn[0]}"));
        Assert.Contains("append-only", update.MessageText, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlAsync($"DELETE FROM orders.audit_entries WHERE sequence = {paidIn[1]}"));

        // Someone who switches the guard off changes the first amount: the check points at that row.
        await TamperAsync(db, $"UPDATE orders.audit_entries SET after = jsonb_set(after, '{{paidInRupiah}}', '100'::jsonb) WHERE sequence = {paidIn[0]}");
        var altered = await party.Admin.Http.GetFromJsonAsync<JsonElement>("/api/orders/audit/check");
        Assert.Equal(paidIn[0], altered.GetProperty("firstBroken").GetInt64());

        // And the trail of another service is still whole: each chain stands on its own.
        Assert.Equal(JsonValueKind.Null, (await party.Admin.Http.GetFromJsonAsync<JsonElement>("/api/catalog/audit/check")).GetProperty("firstBroken").ValueKind);

        // Removing a row instead breaks the chain where it was.
        await using var removalScope = stack.OrdersHost.CreateScope();
        var second = removalScope.ServiceProvider.GetRequiredService<Marketplace.Orders.OrdersDbContext>();
        await TamperAsync(second, $"UPDATE orders.audit_entries SET after = jsonb_set(after, '{{paidInRupiah}}', '1000'::jsonb) WHERE sequence = {paidIn[0]}");
        await TamperAsync(second, $"DELETE FROM orders.audit_entries WHERE sequence = {paidIn[1]}");
        var removed = await party.Admin.Http.GetFromJsonAsync<JsonElement>("/api/orders/audit/check");
        Assert.Equal(paidIn[2], removed.GetProperty("firstBroken").GetInt64());
    }

    private static async Task TamperAsync(DbContext db, FormattableString sql)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlRawAsync("ALTER TABLE orders.audit_entries DISABLE TRIGGER audit_entries_append_only");
        await db.Database.ExecuteSqlAsync(sql);
        await db.Database.ExecuteSqlRawAsync("ALTER TABLE orders.audit_entries ENABLE TRIGGER audit_entries_append_only");
        await transaction.CommitAsync();
    }

    private static async Task<List<JsonElement>> TrailAsync(HttpClient client, string path, Guid cooperative, string filter = "")
    {
        var response = await client.GetAsync(new Uri($"{path}?cooperativeId={cooperative}&limit=200{filter}", UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries").EnumerateArray()];
    }

    private static JsonElement Single(List<JsonElement> trail, string action)
    {
        var found = trail.Where(e => e.GetProperty("action").GetString() == action).ToList();
        Assert.True(found.Count == 1, $"{found.Count} entries for {action}; the trail has: {string.Join(", ", trail.Select(e => e.GetProperty("action").GetString()))}");
        return found[0];
    }

    private static async Task<(Guid Id, Guid VariantId)> CreateProductAsync(Browser member, string name)
    {
        var response = await member.Http.PostAsJsonAsync("/api/catalog/products", new
        {
            category = "kerajinan",
            listing = new
            {
                nameId = name,
                descriptionId = "Tas anyaman daun pandan buatan tangan anggota koperasi di Pantai Binor.",
            },
            variants = new[] { new { sku = "JJK-" + Guid.NewGuid().ToString("N")[..6], label = "Sedang", priceRupiah = 45_000L, weightGrams = 200 } },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetGuid(), body.GetProperty("variants")[0].GetProperty("id").GetGuid());
    }
}
