using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Marketplace.IntegrationTests.DeadLetters;
using Marketplace.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>The platform admin sees failed messages in plain words, sends one again after the fix, and discards another with a reason.</summary>
[Collection(StorefrontCollection.Name)]
public sealed class DeadLetterBrowserTests(StorefrontStack shop)
{
    [Fact]
    public Task The_platform_admin_replays_a_failed_message_and_discards_another_with_a_reason() => shop.CapturingFailureAsync(async () =>
    {
        var probe = new ProbeSwitch();
        var (queue, handle) = await ProbeConsumer.ConnectAsync(shop.Stack.Gateway.Services, probe);
        try
        {
            var send = await shop.Stack.Gateway.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"queue:{queue}"));
            await send.Send(new ProbeHappened("kirim"));
            await send.Send(new ProbeHappened("buang"));
            using var api = await shop.Stack.SignedInPlatformAdminAsync();
            await Eventually.TrueAsync(async () =>
            {
                var list = await api.Http.GetFromJsonAsync<JsonElement>("/api/account/dead-letters");
                return list.GetProperty("queues").EnumerateArray().Any(q => q.GetProperty("errorQueue").GetString() == queue + "_error" && q.GetProperty("waiting").GetInt32() == 2);
            }, TimeSpan.FromSeconds(60), "both failed messages to be taken in");

            var page = await shop.NewPhoneAsync();
            await page.GotoAsync("/masuk");
            await page.FillAsync("#login", GatewayStack.PlatformAdminEmail);
            await page.FillAsync("#password", GatewayStack.PlatformAdminPassword);
            await page.ClickAsync("form.stacked button[type=submit]");
            await StorefrontStack.OnAccountPageAsync(page);
            await page.GotoAsync("/admin/koperasi");
            await page.ClickAsync("a[href='/admin/pesan-gagal']");

            var section = page.Locator($"section[data-queue='{queue}_error']");
            var messages = section.Locator("li[data-dead-letter]");
            await Expect(messages).ToHaveCountAsync(2);
            await Expect(messages.Filter(new() { HasText = "The probe is broken (kirim)." })).ToContainTextAsync("ProbeHappened");
            // The error's first line only: never a stack trace or a later line on the page.
            await Expect(page.Locator("main")).Not.ToContainTextAsync("Second line");
            await Expect(page.Locator("main")).Not.ToContainTextAsync("ProbeConsumer");
            await StorefrontStack.AccessibleAsync(page, "dead-letters-1-waiting");
            await page.ClickAsync("a[hreflang=en]");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Failed messages");
            await Expect(section.Locator("[data-testid=replay-all]")).ToHaveTextAsync("Send all again");
            await Expect(messages.First.Locator("[data-testid=discard]")).ToHaveTextAsync("Discard");
            await StorefrontStack.ScreenshotAsync(page, "dead-letters-1-english");
            await page.ClickAsync("a[hreflang=id]");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Pesan gagal");

            var toDiscard = messages.Filter(new() { HasText = "(buang)" });
            await toDiscard.Locator("[data-testid=discard]").ClickAsync();
            await Expect(page.Locator($"section[data-queue='{queue}_error'] li[data-dead-letter] .field-error")).ToHaveTextAsync("Tuliskan alasannya.");
            await StorefrontStack.AccessibleAsync(page, "dead-letters-2-reason-missing");
            await messages.Filter(new() { HasText = "(buang)" }).Locator("input[name='Act.Reason']").FillAsync("Pesan uji coba, tidak perlu diproses");
            await messages.Filter(new() { HasText = "(buang)" }).Locator("[data-testid=discard]").ClickAsync();
            await Expect(page.Locator("[data-testid=dead-letter-done]")).ToHaveTextAsync("Pesan dibuang.");
            await Expect(messages).ToHaveCountAsync(1);

            probe.Broken = false;
            await messages.First.Locator("[data-testid=replay]").ClickAsync();
            await Expect(page.Locator("[data-testid=dead-letter-done]")).ToHaveTextAsync("Pesan dikirim ulang.");
            await Expect(section).ToHaveCountAsync(0);
            await StorefrontStack.AccessibleAsync(page, "dead-letters-3-replayed");
            await Eventually.TrueAsync(() => Task.FromResult(probe.Effects == 1), because: "the replayed message to take effect");

            // A cooperative's admin is not the platform's: the page is not hers.
            var admin = await shop.SignedInAsync(shop.AdminLogin);
            await admin.GotoAsync("/admin/pesan-gagal");
            await Expect(admin.Locator("[data-testid=replay]")).ToHaveCountAsync(0);
            await Expect(admin.Locator("h1")).Not.ToHaveTextAsync("Pesan gagal");
        }
        finally
        {
            await handle.StopAsync();
        }
    });
}
