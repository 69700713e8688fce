using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>A buyer reviews what she picked up, the admin approves it, the maker answers, and shoppers read both.</summary>
[Collection(StorefrontCollection.Name)]
public sealed class ReviewBrowserTests(StorefrontStack shop)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public Task A_buyer_reviews_from_her_order_page_and_after_approval_the_product_page_shows_it_with_the_makers_reply() => shop.CapturingFailureAsync(async () =>
    {
        var product = await shop.PublishAsync(shop.Member, "kerajinan", $"Dompet Kerang {StorefrontStack.Letters(6)}", 35_000);
        await shop.KnownToOrdersAsync(product.Id);

        // A guest on her phone orders for the kiosk; the cooperative takes her money and hands the order over.
        var buyer = await shop.NewPhoneAsync();
        await buyer.GotoAsync($"/produk/{product.Id}");
        await Expect(buyer.Locator("#ulasan")).ToContainTextAsync("Belum ada ulasan");
        await buyer.ClickAsync("form.buy button[type=submit]");
        await StorefrontStack.InBasketAsync(buyer);
        await buyer.ClickAsync("a.button[href$='/bayar']");
        await buyer.FillAsync("#name", "Rina Wisatawan");
        await buyer.FillAsync("#whatsApp", "0812 7777 9999");
        await buyer.FillAsync("#pickupDate", StorefrontStack.Tomorrow());
        await buyer.CheckAsync("input[type=radio][value=kiosk]");
        await buyer.ClickAsync("form.stacked button[type=submit]");
        await Expect(buyer.Locator("[data-status=AwaitingKioskPayment]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = (float)Patience.TotalMilliseconds });
        var orderId = Guid.Parse(buyer.Url.Split('/', '?')[4]);
        (await shop.Admin.Http.PostAsJsonAsync($"/api/orders/kiosk/{shop.CooperativeId}/orders/{orderId}/payment", new { method = "cash", tillSessionId = await Counter.OpenSessionAsync(shop.Admin.Http, shop.CooperativeId) })).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(
            async () => (await shop.Admin.Http.PostAsync(new Uri($"/api/orders/orders/{orderId}/hand-over", UriKind.Relative), null)).IsSuccessStatusCode,
            Patience,
            "the order to be handed over");

        // Catalog hears of the hand-over from Orders; her browser's own cookie shows her the line to review.
        await Eventually.GetAsync(
            async () => await (await buyer.APIRequest.GetAsync($"/api/catalog/reviews/orders/{orderId}")).TextAsync(),
            lines => lines.Contains("\"invited\"", StringComparison.Ordinal),
            Patience,
            "Catalog to learn that the line was handed over");

        // Her order's page invites her to review the line she picked up.
        await Eventually.TrueAsync(
            async () =>
            {
                await buyer.GotoAsync($"/orders/{orderId}");
                return await buyer.Locator("[data-testid=line-review][data-status=Invited]").CountAsync() > 0;
            },
            Patience,
            "her order's page to offer the review");
        await StorefrontStack.AccessibleAsync(buyer, "review-1-order-invites");
        await StorefrontStack.FitsThePhoneAsync(buyer, "the order page with its review link");
        await buyer.ClickAsync("[data-testid=line-review] a.button");

        // Sent empty, every field says what it needs, in her language.
        await buyer.ClickAsync("form.review-form button[type=submit]");
        await Expect(buyer.Locator("#rating-error")).ToHaveTextAsync("Pilih 1 sampai 5 bintang.");
        await Expect(buyer.Locator("#text-error")).ToHaveTextAsync("Tulis beberapa kata tentang barangnya.");
        await StorefrontStack.AccessibleAsync(buyer, "review-2-form-errors");
        await StorefrontStack.FitsThePhoneAsync(buyer, "the review form with its errors");
        await buyer.CheckAsync("input[name='Form.Rating'][value='4']");
        await buyer.FillAsync("#review-text", "Dompetnya cantik, kerangnya rapi. Pengirimannya cepat.");
        await buyer.ClickAsync("form.review-form button[type=submit]");
        await Expect(buyer.Locator("[data-testid=review-sent]")).ToContainTextAsync("menunggu persetujuan");
        await Expect(buyer.Locator("#photo-upload")).ToBeVisibleAsync();
        await StorefrontStack.AccessibleAsync(buyer, "review-3-sent-waiting");
        await StorefrontStack.FitsThePhoneAsync(buyer, "the review sent");

        // Not shown before the cooperative approves it.
        await buyer.GotoAsync($"/produk/{product.Id}");
        await Expect(buyer.Locator("#ulasan")).ToContainTextAsync("Belum ada ulasan");

        var admin = await shop.SignedInAsync(shop.AdminLogin);
        await admin.GotoAsync($"/admin/ulasan?koperasi={shop.CooperativeId}");
        var pending = admin.Locator("[data-testid=pending-review]", new PageLocatorOptions { HasText = product.Name });
        await Expect(pending).ToContainTextAsync("Dompetnya cantik");
        await StorefrontStack.AccessibleAsync(admin, "review-4-admin-queue");
        await StorefrontStack.FitsThePhoneAsync(admin, "the admin's review queue");
        await pending.Locator("button:has-text('Setujui')").ClickAsync();
        await Expect(admin.Locator(".alert.ok")).ToContainTextAsync("Ulasan disetujui");

        var member = await shop.SignedInAsync(shop.MemberLogin);
        await member.GotoAsync("/anggota/ulasan");
        var mine = member.Locator("[data-testid=my-review]", new PageLocatorOptions { HasText = product.Name });
        await mine.Locator("textarea").FillAsync("Terima kasih, Kak Rina! Ditunggu di kios lagi.");
        await StorefrontStack.AccessibleAsync(member, "review-5-member-replies");
        await StorefrontStack.FitsThePhoneAsync(member, "the member's reviews");
        await mine.Locator("button:has-text('Kirim balasan')").ClickAsync();
        await Expect(member.Locator(".alert.ok")).ToContainTextAsync("Balasan Anda tampil");
        await Expect(mine.Locator("textarea")).ToHaveCountAsync(0);

        // Shoppers read the rating as text and as words for screen readers, the review, and the maker's reply under it.
        var shopper = await shop.NewPhoneAsync();
        await shopper.GotoAsync($"/produk/{product.Id}");
        await Expect(shopper.Locator(".product-rating")).ToContainTextAsync("4,0");
        await Expect(shopper.Locator(".product-rating .stars")).ToHaveAttributeAsync("aria-label", "4,0 dari 5 bintang");
        await Expect(shopper.Locator("[data-testid=rating-summary]")).ToContainTextAsync("1 ulasan");
        var review = shopper.Locator("[data-testid=review]");
        await Expect(review).ToContainTextAsync("Dompetnya cantik");
        await Expect(review).ToContainTextAsync("Rina");
        await Expect(review).Not.ToContainTextAsync("Wisatawan");
        await Expect(review.Locator("[data-testid=reply]")).ToContainTextAsync("Terima kasih, Kak Rina!");
        await shopper.Locator("#ulasan").ScrollIntoViewIfNeededAsync();
        await StorefrontStack.AccessibleAsync(shopper, "review-6-product-page");
        await StorefrontStack.FitsThePhoneAsync(shopper, "the product page with its review");

        // A shared link's structured data carries the rating too, and the maker's page shows hers.
        var structured = JsonDocument.Parse(await shopper.EvaluateAsync<string>("document.querySelector('script[type=\"application/ld+json\"]').textContent")).RootElement;
        var aggregate = structured.GetProperty("aggregateRating");
        Assert.Equal("AggregateRating", aggregate.GetProperty("@type").GetString());
        Assert.Equal(4m, aggregate.GetProperty("ratingValue").GetDecimal());
        Assert.Equal(1, aggregate.GetProperty("reviewCount").GetInt32());
        await shopper.Locator("p.maker a").First.ClickAsync();
        await Expect(shopper.Locator("[data-testid=maker-rating]")).ToContainTextAsync("4,0");
        await Expect(shopper.Locator("[data-testid=maker-rating] .stars")).ToHaveAttributeAsync("aria-label", "4,0 dari 5 bintang");

        // Her order's page says it is shown.
        await buyer.GotoAsync($"/orders/{orderId}");
        await Expect(buyer.Locator("[data-testid=line-review][data-status=Approved]")).ToContainTextAsync("Ulasan Anda tampil");

        var found = await shopper.APIRequest.GetAsync($"/api/catalog/products?cooperative={shop.CooperativeId}&sort=rating");
        var first = (await found.JsonAsync())!.Value.GetProperty("items")[0];
        Assert.Equal(product.Id, first.GetProperty("id").GetGuid());
    });
}
