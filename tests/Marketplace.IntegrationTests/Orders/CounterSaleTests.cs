using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Orders;
using Marketplace.Orders.Settlement.Data;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>Walk-in sales at the kiosk: cash and QRIS, the same sale sent again, prices changed meanwhile, returns, and who may sell.</summary>
public sealed class CounterSaleTests(Shop shop) : IClassFixture<Shop>
{
    [Fact]
    public async Task A_cash_sale_gives_change_a_receipt_anyone_with_its_link_can_open_and_owes_its_messages_once()
    {
        var stall = await shop.OpenStallAsync("tunai-kembali", price: 25_000);
        var clerk = Counter.Clerk(shop, stall.CooperativeId);
        var session = await Counter.OpenTillAsync(clerk, stall.CooperativeId, floatRupiah: 50_000);

        var response = await clerk.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/sales",
            Counter.Sale(Guid.NewGuid(), stall, quantity: 3, price: 25_000, "cash", tendered: 100_000, session: session));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var sale = await response.Content.ReadFromJsonAsync<JsonElement>();
        var orderId = sale.GetProperty("orderId").GetGuid();
        Assert.Equal((75_000L, 100_000L, 25_000L, "cash"), (sale.GetProperty("totalRupiah").GetInt64(), sale.GetProperty("tenderedRupiah").GetInt64(),
            sale.GetProperty("changeRupiah").GetInt64(), sale.GetProperty("channel").GetString()));
        Assert.Matches(@"^K-\d{8}-\d{4}$", sale.GetProperty("receiptNumber").GetString());
        Assert.EndsWith("WIB", sale.GetProperty("soldAtLocal").GetString(), StringComparison.Ordinal);
        Assert.Empty(sale.GetProperty("flags").EnumerateArray());
        var receiptUrl = new Uri(sale.GetProperty("receiptUrl").GetString()!);
        Assert.Equal($"/nota/{orderId}", receiptUrl.AbsolutePath);
        var key = System.Web.HttpUtility.ParseQueryString(receiptUrl.Query)["key"];

        var anonymous = new HttpClient { BaseAddress = shop.OrdersAddress };
        var receipt = await anonymous.GetAsync(new Uri($"/api/orders/receipts/{orderId}?key={key}", UriKind.Relative));
        var wrongKey = await anonymous.GetAsync(new Uri($"/api/orders/receipts/{orderId}?key={(key![0] == '0' ? '1' : '0')}{key[1..]}", UriKind.Relative));
        var pdf = await anonymous.GetAsync(new Uri($"/api/orders/receipts/{orderId}/receipt.pdf?key={key}&width=80", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
        Assert.Equal(sale.GetProperty("receiptNumber").GetString(), (await receipt.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receiptNumber").GetString());
        Assert.Equal(HttpStatusCode.NotFound, wrongKey.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync())[..4], StringComparison.Ordinal);
        var narrow = await anonymous.GetAsync(new Uri($"/api/orders/receipts/{orderId}/receipt.pdf?key={key}&width=58", UriKind.Relative));
        var oddWidth = await anonymous.GetAsync(new Uri($"/api/orders/receipts/{orderId}/receipt.pdf?key={key}&width=99", UriKind.Relative));
        Assert.Equal("application/pdf", narrow.Content.Headers.ContentType?.MediaType);
        Assert.Equal("invalid_width", (await oddWidth.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fieldCodes").GetProperty("width")[0].GetString());

        foreach (var message in new[] { "OrderPaid", "OrderLinesFulfilled", "TakeCounterStock", "CounterSaleRecorded" })
        {
            Assert.Equal(1, await shop.OutboxCountAsync($"Marketplace.Contracts.Orders.{message}", orderId));
        }

        var report = await clerk.GetFromJsonAsync<JsonElement>($"/api/orders/kiosk/{stall.CooperativeId}/till-sessions/{session}");
        Assert.Equal((75_000L, 125_000L, "x"), (report.GetProperty("cashSalesRupiah").GetInt64(), report.GetProperty("expectedCashRupiah").GetInt64(), report.GetProperty("kind").GetString()));
        // Settlement books it as a cash sale, at the buyer's price.
        Assert.Equal(75_000, await Counter.PostedAsync(shop, $"sale:{orderId}", "received:cash"));
    }

    [Fact]
    public async Task A_QRIS_sale_needs_its_reference_and_every_mistake_is_answered_at_its_field()
    {
        var stall = await shop.OpenStallAsync("qris-ref", price: 30_000);
        var clerk = Counter.Clerk(shop, stall.CooperativeId);

        var refused = await clerk.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/sales", new
        {
            saleId = Guid.NewGuid(),
            soldAt = DateTimeOffset.UtcNow,
            lines = new object[]
            {
                new { productId = stall.ProductId, variantId = stall.VariantId, quantity = 0, unitPriceRupiah = 30_000 },
                new { productId = Guid.NewGuid(), variantId = Guid.NewGuid(), quantity = 1, unitPriceRupiah = 30_000 },
            },
            payment = new { channel = "qris", reference = "  " },
            buyerWhatsApp = "bukan nomor",
            language = "id",
        });
        var sold = await clerk.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/sales",
            Counter.Sale(Guid.NewGuid(), stall, quantity: 2, price: 30_000, "qris", tendered: null, reference: "QRIS-8841", whatsApp: "0812 3456 7890"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var codes = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fieldCodes");
        Assert.Equal("reference_required", codes.GetProperty("payment.reference")[0].GetString());
        Assert.Equal("invalid_quantity", codes.GetProperty("lines[0].quantity")[0].GetString());
        Assert.Equal("unknown_product", codes.GetProperty("lines[1].variantId")[0].GetString());
        Assert.Equal("invalid_whatsapp", codes.GetProperty("buyerWhatsApp")[0].GetString());
        Assert.Equal(HttpStatusCode.Created, sold.StatusCode);
        var sale = await sold.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("qris", "QRIS-8841", 0L), (sale.GetProperty("channel").GetString(), sale.GetProperty("reference").GetString(), sale.GetProperty("changeRupiah").GetInt64()));
        Assert.Equal(60_000, await Counter.PostedAsync(shop, $"sale:{sale.GetProperty("orderId").GetGuid()}", "received:qris"));
    }

    [Fact]
    public async Task The_same_sale_sent_again_even_at_once_is_recorded_once_and_another_sale_under_its_id_is_refused()
    {
        var stall = await shop.OpenStallAsync("kirim-ulang", price: 20_000);
        var clerk = Counter.Clerk(shop, stall.CooperativeId);
        var session = await Counter.OpenTillAsync(clerk, stall.CooperativeId, floatRupiah: 0);
        var saleId = Guid.NewGuid();
        var body = Counter.Sale(saleId, stall, quantity: 2, price: 20_000, "cash", tendered: 50_000, session: session);

        var atOnce = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => clerk.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/sales", body)));
        var later = await clerk.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/sales", body);
        var reused = await clerk.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/sales",
            Counter.Sale(saleId, stall, quantity: 1, price: 20_000, "cash", tendered: 50_000, session: session));

        Assert.Equal(1, atOnce.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(2, atOnce.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        var numbers = new List<string>();
        foreach (var response in atOnce.Append(later))
        {
            numbers.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receiptNumber").GetString()!);
        }

        Assert.Single(numbers.Distinct());
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Equal("sale_id_reused", (await reused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(1, await shop.OutboxCountAsync("Marketplace.Contracts.Orders.OrderPaid", saleId));
        Assert.Equal(1, await shop.OutboxCountAsync("Marketplace.Contracts.Orders.TakeCounterStock", saleId));
        var report = await clerk.GetFromJsonAsync<JsonElement>($"/api/orders/kiosk/{stall.CooperativeId}/till-sessions/{session}");
        Assert.Equal((1, 40_000L), (report.GetProperty("cashSalesCount").GetInt32(), report.GetProperty("cashSalesRupiah").GetInt64()));
    }

    [Fact]
    public async Task A_price_changed_meanwhile_keeps_the_buyers_price_is_flagged_and_booked_at_what_she_paid()
    {
        var stall = await shop.OpenStallAsync("harga-lama", price: 25_000);
        var clerk = Counter.Clerk(shop, stall.CooperativeId);

        var sold = await clerk.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/sales",
            Counter.Sale(Guid.NewGuid(), stall, quantity: 2, price: 22_000, "qris", tendered: null, reference: "QR-OLD"));

        Assert.Equal(HttpStatusCode.Created, sold.StatusCode);
        var sale = await sold.Content.ReadFromJsonAsync<JsonElement>();
        var orderId = sale.GetProperty("orderId").GetGuid();
        var line = sale.GetProperty("lines")[0];
        Assert.Equal(44_000, sale.GetProperty("totalRupiah").GetInt64());
        Assert.Contains("priceChanged", sale.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal((true, 22_000L, 25_000L), (line.GetProperty("priceChanged").GetBoolean(), line.GetProperty("unitPriceRupiah").GetInt64(), line.GetProperty("listPriceRupiah").GetInt64()));
        var flags = await stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/orders/kiosk/{stall.CooperativeId}/flags");
        var flagged = flags.EnumerateArray().Single(f => f.GetProperty("orderId").GetGuid() == orderId);
        Assert.Equal(25_000, flagged.GetProperty("priceChangedLines")[0].GetProperty("listPriceRupiah").GetInt64());
        // The flags are the admins' to see, not the clerk's.
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.GetAsync(new Uri($"/api/orders/kiosk/{stall.CooperativeId}/flags", UriKind.Relative))).StatusCode);
        Assert.Equal(44_000, await Counter.PostedAsync(shop, $"sale:{orderId}", "received:qris"));
    }

    [Fact]
    public async Task Goods_returned_at_the_counter_are_refunded_once_per_key_from_the_till_and_go_back_to_the_shelf()
    {
        var stall = await shop.OpenStallAsync("retur-kios", price: 25_000);
        var clerk = Counter.Clerk(shop, stall.CooperativeId);
        var session = await Counter.OpenTillAsync(clerk, stall.CooperativeId, floatRupiah: 10_000);
        var sold = await clerk.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/sales",
            Counter.Sale(Guid.NewGuid(), stall, quantity: 2, price: 25_000, "cash", tendered: 50_000, session: session));
        var sale = await sold.Content.ReadFromJsonAsync<JsonElement>();
        var orderId = sale.GetProperty("orderId").GetGuid();
        var lineId = sale.GetProperty("lines")[0].GetProperty("orderLineId").GetGuid();

        // The device sends the return twice at once (a double tap on a slow connection).
        var twice = await Task.WhenAll(Counter.ReturnAsync(clerk, stall.CooperativeId, orderId, "retur-1", session, lineId, 1),
            Counter.ReturnAsync(clerk, stall.CooperativeId, orderId, "retur-1", session, lineId, 1));
        var (first, retried) = (twice[0], twice[1]);
        var tooMany = await Counter.ReturnAsync(clerk, stall.CooperativeId, orderId, "retur-2", session, lineId, 2);
        var noKey = await Counter.ReturnAsync(clerk, stall.CooperativeId, orderId, null, session, lineId, 1);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var refund = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((25_000L, "cash", "succeeded"), (refund.GetProperty("totalRupiah").GetInt64(), refund.GetProperty("method").GetString(), refund.GetProperty("status").GetString()));
        Assert.Equal(refund.GetProperty("id").GetGuid(), (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal("more_than_sold", (await tooMany.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fieldCodes").GetProperty("lines[0].quantity")[0].GetString());
        Assert.Equal("idempotency_key_required", (await noKey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fieldCodes").GetProperty("idempotencyKey")[0].GetString());
        Assert.Equal(1, await shop.OutboxCountAsync("Marketplace.Contracts.Orders.ReturnCounterStock", orderId));
        Assert.Equal(1, await shop.OutboxCountAsync("Marketplace.Contracts.Orders.OrderRefunded", orderId));
        var report = await clerk.GetFromJsonAsync<JsonElement>($"/api/orders/kiosk/{stall.CooperativeId}/till-sessions/{session}");
        Assert.Equal((25_000L, 35_000L), (report.GetProperty("cashRefundsRupiah").GetInt64(), report.GetProperty("expectedCashRupiah").GetInt64()));
        var receipt = await clerk.GetFromJsonAsync<JsonElement>($"/api/orders/kiosk/{stall.CooperativeId}/sales/{orderId}");
        Assert.Equal((1, 25_000L), (receipt.GetProperty("lines")[0].GetProperty("returnedQuantity").GetInt32(), receipt.GetProperty("refundedRupiah").GetInt64()));
        Assert.Equal(-25_000, await Counter.PostedAsync(shop, $"refund:{refund.GetProperty("id").GetGuid()}", "refunds:cash"));
    }

    [Fact]
    public async Task A_clerk_of_another_cooperative_finds_nothing_and_a_shopper_may_not_sell()
    {
        var stall = await shop.OpenStallAsync("kasir-lain", price: 25_000);
        var other = await shop.OpenStallAsync("kasir-tetangga", price: 25_000);
        var neighbour = Counter.Clerk(shop, other.CooperativeId);
        var shopper = shop.NewShopper(TestTokens.Shopper());
        var member = shop.NewShopper(TestTokens.Member(stall.CooperativeId, stall.MemberId));
        var body = Counter.Sale(Guid.NewGuid(), stall, quantity: 1, price: 25_000, "qris", tendered: null, reference: "QR-1");

        Assert.Equal(HttpStatusCode.NotFound, (await neighbour.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/sales", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await neighbour.GetAsync(new Uri($"/api/orders/kiosk/{stall.CooperativeId}/tills", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await shopper.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/sales", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync(new Uri($"/api/orders/kiosk/{stall.CooperativeId}/tills", UriKind.Relative))).StatusCode);
        // Selling the other cooperative's product at this kiosk is refused at the line.
        var foreign = await Counter.Clerk(shop, stall.CooperativeId).PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/sales",
            Counter.Sale(Guid.NewGuid(), other, quantity: 1, price: 25_000, "qris", tendered: null, reference: "QR-2"));
        Assert.Equal("unknown_product", (await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fieldCodes").GetProperty("lines[0].variantId")[0].GetString());
    }
}

/// <summary>The sale screen's requests, as a clerk's device sends them.</summary>
internal static class Counter
{
    public static HttpClient Clerk(Shop shop, Guid cooperativeId, Guid? userId = null) =>
        shop.NewShopper(TestTokens.Issuer.Mint(new ServiceCaller(userId ?? Guid.NewGuid(), [MarketplaceRoles.KioskClerk], [cooperativeId])));

    public static async Task<Guid> DefaultTillAsync(HttpClient clerk, Guid cooperativeId)
    {
        var tills = await clerk.GetFromJsonAsync<JsonElement>($"/api/orders/kiosk/{cooperativeId}/tills");
        return tills.EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Kios").GetProperty("id").GetGuid();
    }

    /// <summary>
    /// The open session of the till "Kios" (opened with <paramref name="floatRupiah"/> when none is): cash taken at the
    /// kiosk for an online order, and a kiosk payment refunded, go into and out of a till's drawer.
    /// </summary>
    public static async Task<Guid> OpenSessionAsync(HttpClient staff, Guid cooperativeId, long floatRupiah = 0)
    {
        var tills = await staff.GetFromJsonAsync<JsonElement>($"/api/orders/kiosk/{cooperativeId}/tills");
        var kios = tills.EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Kios");
        return kios.GetProperty("openSession") is { ValueKind: JsonValueKind.Object } open
            ? open.GetProperty("id").GetGuid()
            : await OpenTillAsync(staff, cooperativeId, floatRupiah, kios.GetProperty("id").GetGuid());
    }

    public static async Task<Guid> OpenTillAsync(HttpClient clerk, Guid cooperativeId, long floatRupiah, Guid? tillId = null)
    {
        var till = tillId ?? await DefaultTillAsync(clerk, cooperativeId);
        var opened = await clerk.PostAsJsonAsync($"/api/orders/kiosk/{cooperativeId}/tills/{till}/sessions", new { floatRupiah });
        Assert.True(opened.StatusCode == HttpStatusCode.Created, await opened.Content.ReadAsStringAsync());
        return (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static object Sale(Guid saleId, Stall stall, int quantity, long price, string channel, long? tendered, string? reference = null, Guid? session = null,
        string? whatsApp = null, DateTimeOffset? soldAt = null) => new
    {
        saleId,
        tillSessionId = session,
        soldAt = soldAt ?? DateTimeOffset.UtcNow,
        lines = new[] { new { productId = stall.ProductId, variantId = stall.VariantId, quantity, unitPriceRupiah = price } },
        payment = new { channel, tenderedRupiah = tendered, reference },
        buyerWhatsApp = whatsApp,
        language = "id",
    };

    public static async Task<HttpResponseMessage> ReturnAsync(HttpClient clerk, Guid cooperativeId, Guid orderId, string? key, Guid session, Guid lineId, int quantity)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/orders/kiosk/{cooperativeId}/sales/{orderId}/returns", UriKind.Relative))
        {
            Content = JsonContent.Create(new { tillSessionId = session, lines = new[] { new { orderLineId = lineId, quantity } } }),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await clerk.SendAsync(request);
    }

    /// <summary>What settlement posted to one account for one source, once it is posted.</summary>
    public static async Task<long> PostedAsync(Shop shop, string source, string account)
    {
        long? posted = null;
        await Eventually.TrueAsync(async () =>
        {
            await using var scope = shop.Orders.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<SettlementDbContext>();
            var entry = await db.JournalEntries.AsNoTracking().Include(e => e.Lines).FirstOrDefaultAsync(e => e.Source == source);
            posted = entry?.Lines.Where(l => l.Account == account).Sum(l => l.AmountRupiah);
            return entry is not null;
        }, TimeSpan.FromSeconds(30), $"settlement to post {source}");
        return posted!.Value;
    }
}
