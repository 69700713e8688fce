using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Contracts.Gateway;
using Marketplace.Notifications;
using Marketplace.Notifications.Deliveries;
using Marketplace.Testing;
using Marketplace.Web.Localization;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>
/// Password resets: on the channel the person chose, seen by the platform's admin when they fail (they belong to no
/// cooperative), and never sent again once their link was erased.
/// </summary>
public sealed class AccountMessageRoutingTests(NotificationsHost host) : IClassFixture<NotificationsHost>
{
    private static string NewNumber() => $"+62818{Random.Shared.Next(1_000_000, 9_999_999):D7}";

    private static PasswordResetRequested Reset(Guid userId, string? email, string? whatsApp) => new(
        userId, "Sri", email, whatsApp, "id", new Uri($"http://toko.test/reset-password?user={userId}&token=Ab%2Fc%3D"), DateTimeOffset.UtcNow.AddHours(1), DateTimeOffset.UtcNow);

    private async Task<List<Notification>> ResetsOfAsync(Guid userId)
    {
        await using var scope = host.Notifications.CreateScope();
        var recipient = $"account:{userId}";
        return await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Notifications.AsNoTracking().Where(n => n.Recipient == recipient).ToListAsync();
    }

    private async Task KnownAsync(Guid userId, string email, string number, DeliveryChannel? chosen)
    {
        await host.PublishAsync(new AccountContactChanged(userId, "Sri", email, number, null, null, [], DateTimeOffset.UtcNow), Guid.NewGuid());
        await Eventually.TrueAsync(
            async () =>
            {
                await using var scope = host.Notifications.CreateScope();
                var people = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().People.Where(p => p.UserId == userId);
                return chosen is { } channel
                    // Her choice, as the preferences page saves it.
                    ? await people.ExecuteUpdateAsync(p => p.SetProperty(x => x.PreferredChannel, channel).SetProperty(x => x.ChosenAt, DateTimeOffset.UtcNow)) == 1
                    : await people.AnyAsync();
            },
            because: "her account to be known");
    }

    [Fact]
    public async Task A_reset_goes_on_the_channel_she_chose_when_she_has_both_and_by_email_when_she_chose_none()
    {
        var scope = await TestScope.CreateAsync();
        var (prefersWhatsApp, noChoice) = (Guid.NewGuid(), Guid.NewGuid());
        var (number, otherNumber) = (NewNumber(), NewNumber());
        await KnownAsync(prefersWhatsApp, scope.EmailAddress("sri"), number, DeliveryChannel.WhatsApp);
        await KnownAsync(noChoice, scope.EmailAddress("tini"), otherNumber, chosen: null);

        await host.PublishAsync(Reset(prefersWhatsApp, scope.EmailAddress("sri"), number), Guid.NewGuid());
        await host.PublishAsync(Reset(noChoice, scope.EmailAddress("tini"), otherNumber), Guid.NewGuid());

        var sent = await Eventually.GetAsync(() => host.MessagesToAsync(number), m => m.GetArrayLength() == 1, because: "the reset on WhatsApp");
        Assert.Equal("account_password_reset", sent[0].GetProperty("template_name").GetString());
        Assert.Equal(DeliveryChannel.WhatsApp, Assert.Single(await ResetsOfAsync(prefersWhatsApp)).Channel);
        await host.Mail.Inbox.WaitForMessagesToAsync(scope.EmailAddress("tini"));
        Assert.Equal(DeliveryChannel.Email, Assert.Single(await ResetsOfAsync(noChoice)).Channel);
        Assert.Empty(await host.Mail.Inbox.MessagesToAsync(scope.EmailAddress("sri")));
        Assert.Equal(0, (await host.MessagesToAsync(otherNumber)).GetArrayLength());
    }

    [Fact]
    public async Task A_failed_reset_is_in_the_platform_admins_log_and_no_cooperative_admins()
    {
        var userId = Guid.NewGuid();
        // WhatsApp refuses the number: the reset fails at once.
        await host.PublishAsync(Reset(userId, null, "+12345"), Guid.NewGuid());
        var failed = Assert.Single(await Eventually.GetAsync(() => ResetsOfAsync(userId), n => n is [{ Status: NotificationStatus.Failed }], because: "WhatsApp to refuse it"));
        Assert.Null(failed.CooperativeId);

        var platform = host.Notifications.CreateClient().WithToken(TestTokens.PlatformAdmin());
        var log = await platform.GetFromJsonAsync<JsonElement>("/api/notifications/deliveries?status=failed");
        var shown = Assert.Single(log.GetProperty("items").EnumerateArray(), d => d.GetProperty("id").GetGuid() == failed.Id);
        Assert.Equal("invalid_number", shown.GetProperty("reason").GetString());
        Assert.Equal("account_password_reset", shown.GetProperty("template").GetString());
        Assert.DoesNotContain("12345", shown.GetProperty("address").GetString(), StringComparison.Ordinal);
        var cooperativeAdmin = host.Notifications.CreateClient().WithToken(TestTokens.CooperativeAdmin(Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.Forbidden, (await cooperativeAdmin.GetAsync(new Uri("/api/notifications/deliveries", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await cooperativeAdmin.PostAsync(new Uri($"/api/notifications/deliveries/{failed.Id}/resend", UriKind.Relative), null)).StatusCode);
    }

    [Fact]
    public async Task A_reset_that_failed_after_WhatsApp_took_it_shows_erased_and_is_not_sent_again_and_the_page_says_why_in_words()
    {
        var userId = Guid.NewGuid();
        var number = NewNumber();
        // Taken, then reported failed: the link was erased when WhatsApp took it.
        (await host.Emulator.PostAsJsonAsync("/_emulator/fail-next", new { count = 1, mode = "status", code = 131026 })).EnsureSuccessStatusCode();
        await host.PublishAsync(Reset(userId, null, number), Guid.NewGuid());
        var failed = Assert.Single(await Eventually.GetAsync(() => ResetsOfAsync(userId), n => n is [{ Status: NotificationStatus.Failed }], because: "WhatsApp to report it failed"));
        Assert.True(failed.Erased);

        var platform = host.Notifications.CreateClient().WithToken(TestTokens.PlatformAdmin());
        var log = await platform.GetFromJsonAsync<JsonElement>("/api/notifications/deliveries?status=failed");
        Assert.True(Assert.Single(log.GetProperty("items").EnumerateArray(), d => d.GetProperty("id").GetGuid() == failed.Id).GetProperty("erased").GetBoolean());
        var resend = await platform.PostAsync(new Uri($"/api/notifications/deliveries/{failed.Id}/resend", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Conflict, resend.StatusCode);
        Assert.Contains("message_erased", await resend.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(NotificationStatus.Failed, Assert.Single(await ResetsOfAsync(userId)).Status);
        // The admin reads the refusal in her language, never its code.
        var indonesian = new Lang(new HttpContextAccessor { HttpContext = new DefaultHttpContext() });
        Assert.StartsWith("Pesan ini berisi kode undangan atau tautan atur ulang kata sandi", Refusals.One(indonesian, "message_erased"), StringComparison.Ordinal);
        var english = new DefaultHttpContext();
        english.Request.Headers.Cookie = $"{Lang.Cookie}=en";
        Assert.StartsWith("This message held an invitation code or a password reset link", Refusals.One(new Lang(new HttpContextAccessor { HttpContext = english }), "message_erased"), StringComparison.Ordinal);
    }
}
