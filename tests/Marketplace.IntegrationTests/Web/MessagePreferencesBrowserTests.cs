using System.Net;
using System.Net.Http.Json;
using Marketplace.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>A person chooses, on her phone, the language and channel of her messages; a channel she has no address on is refused at its field.</summary>
[Collection(StorefrontCollection.Name)]
public sealed class MessagePreferencesBrowserTests(StorefrontStack shop)
{
    private async Task RegisterAsync(object account)
    {
        using var browser = shop.Stack.NewBrowser();
        var registered = await browser.Http.PostAsJsonAsync("/api/account/register", account);
        Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
    }

    [Fact]
    public Task A_shopper_with_a_phone_and_an_email_chooses_email_in_english_and_sees_it_kept() => shop.CapturingFailureAsync(async () =>
    {
        var email = $"pilih-{StorefrontStack.Letters(8)}@wisata.test";
        await RegisterAsync(new { displayName = "Tourist Ann", email, phone = $"0813{Random.Shared.Next(10_000_000, 99_999_999)}", password = StorefrontStack.Password });
        var page = await shop.SignedInAsync(email);

        await page.GetByRole(AriaRole.Link, new() { Name = "Pesan untuk saya: bahasa dan jalur (WhatsApp atau email)" }).ClickAsync();
        await StorefrontStack.ArrivedAtAsync(page, "**/akun/pesan");
        // The account's news reaches Notifications through RabbitMQ: until then the page knows no address yet.
        await Eventually.TrueAsync(async () =>
        {
            await page.ReloadAsync();
            return await page.GetByTestId("sends-to").CountAsync() == 1;
        }, TimeSpan.FromSeconds(60), "the account's addresses to reach Notifications");
        await Expect(page.GetByTestId("sends-to")).ToContainTextAsync("WhatsApp");
        await StorefrontStack.AccessibleAsync(page, "message-preferences-1-automatic");

        await page.GetByLabel("English").CheckAsync();
        await page.GetByLabel("Email (p•••@wisata.test)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Simpan" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Disimpan.");
        await Expect(page.GetByLabel("English")).ToBeCheckedAsync();
        await Expect(page.GetByLabel("Email (p•••@wisata.test)")).ToBeCheckedAsync();
        await Expect(page.GetByTestId("sends-to")).ToContainTextAsync("email");
        await StorefrontStack.ScreenshotAsync(page, "message-preferences-2-email-english");
    });

    [Fact]
    public Task A_phone_only_member_cannot_choose_email_and_is_told_why_at_the_field() => shop.CapturingFailureAsync(async () =>
    {
        var phone = $"0813{Random.Shared.Next(10_000_000, 99_999_999)}";
        await RegisterAsync(new { displayName = "Bu Sulastri", phone, password = StorefrontStack.Password });
        var page = await shop.SignedInAsync(phone);
        await page.GotoAsync("/akun/pesan");
        await Eventually.TrueAsync(async () =>
        {
            await page.ReloadAsync();
            return await page.GetByTestId("sends-to").CountAsync() == 1;
        }, TimeSpan.FromSeconds(60), "the account's number to reach Notifications");

        await page.GetByLabel("Email (belum ada alamat)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Simpan" }).ClickAsync();

        await Expect(page.Locator("#channel-error")).ToHaveTextAsync("Akun ini tidak punya alamat email; pesan hanya bisa lewat WhatsApp.");
        await Expect(page.GetByLabel("Email (belum ada alamat)")).ToBeCheckedAsync();
        await StorefrontStack.AccessibleAsync(page, "message-preferences-3-no-email");
    });
}
