using Marketplace.Contracts.Gateway;
using Marketplace.Notifications;
using Marketplace.Notifications.Deliveries;
using Marketplace.Notifications.Email;
using Marketplace.Notifications.Templates;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>Email from Notifications to the real SMTP server (smtp4dev), read back through its API as a mail program would.</summary>
public sealed class EmailDeliveryTests(NotificationsHost host) : IClassFixture<NotificationsHost>
{
    private static readonly DateTimeOffset Expires = new(2026, 12, 24, 10, 0, 0, TimeSpan.Zero);

    private static PasswordResetRequested Reset(string email, string language, string name = "Siti") => new(
        Guid.NewGuid(), name, email, "+6281234567890", language, new Uri($"http://toko.test/reset-password?user={Guid.NewGuid()}&token=Ab%2Fc%3D"), Expires, DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_reset_email_arrives_with_its_subject_and_words_in_the_recipients_language()
    {
        var scope = await TestScope.CreateAsync();
        var indonesian = scope.EmailAddress("siti");
        var english = scope.EmailAddress("sarah");
        var inIndonesian = Reset(indonesian, "id", "Siti <b>Rahayu</b> & Ani");
        await host.PublishAsync(inIndonesian, Guid.NewGuid());
        await host.PublishAsync(Reset(english, "en", "Sarah"), Guid.NewGuid());

        var received = await host.Mail.Inbox.WaitForMessagesToAsync(indonesian);
        var email = await host.Mail.Inbox.ReadAsync(Assert.Single(received).Id);
        Assert.Equal("Atur ulang kata sandi Anda", email.Subject);
        Assert.Contains("toko@pantaibinor.test", email.From, StringComparison.Ordinal);
        Assert.Contains("\nContent-Language: id\r\n", await host.Mail.Inbox.SourceAsync(email.Id), StringComparison.Ordinal);
        Assert.Contains("Halo Siti <b>Rahayu</b> & Ani, ada permintaan untuk mengatur ulang kata sandi", email.PlainText, StringComparison.Ordinal);
        Assert.Contains(inIndonesian.ResetLink.ToString(), email.PlainText, StringComparison.Ordinal);
        // 10:00 UTC is 17:00 at the beach (WIB), written the Indonesian way.
        Assert.Contains("Tautan berlaku sampai 24 Desember 2026 17.00 WIB", email.PlainText, StringComparison.Ordinal);
        // The same words in HTML: her name as text, never as markup; the link clickable.
        Assert.Contains("Siti &lt;b&gt;Rahayu&lt;/b&gt; &amp; Ani", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Rahayu", email.Html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"http://toko.test/reset-password?user=", email.Html, StringComparison.Ordinal);

        var inEnglish = await host.Mail.Inbox.ReadAsync(Assert.Single(await host.Mail.Inbox.WaitForMessagesToAsync(english)).Id);
        Assert.Equal("Reset your password", inEnglish.Subject);
        Assert.Contains("\nContent-Language: en\r\n", await host.Mail.Inbox.SourceAsync(inEnglish.Id), StringComparison.Ordinal);
        Assert.Contains("Hello Sarah, someone asked to reset the password", inEnglish.PlainText, StringComparison.Ordinal);
        Assert.Contains("The link is valid until 24 December 2026 17:00 WIB", inEnglish.PlainText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Once_the_mail_server_has_a_reset_link_only_the_log_of_it_is_kept()
    {
        var scope = await TestScope.CreateAsync();
        var address = scope.EmailAddress("lupa");
        var reset = Reset(address, "id");
        await host.PublishAsync(reset, Guid.NewGuid());
        await host.Mail.Inbox.WaitForMessagesToAsync(address);

        var row = await Eventually.GetAsync(
            async () =>
            {
                await using var services = host.Notifications.CreateScope();
                var recipient = $"account:{reset.UserId}";
                return await services.ServiceProvider.GetRequiredService<NotificationsDbContext>().Notifications.AsNoTracking().SingleAsync(n => n.Recipient == recipient);
            },
            n => n.Status == NotificationStatus.Accepted,
            because: "the message to be recorded as taken by the mail server");
        Assert.Equal(DeliveryChannel.Email, row.Channel);
        Assert.Equal(MessageTemplates.AccountPasswordReset, row.Template);
        Assert.Equal(address, row.Address);
        Assert.Empty(row.Parameters);
        Assert.True(row.Erased);
    }

    [Fact]
    public async Task A_reset_asked_for_twice_by_the_same_event_is_emailed_once()
    {
        var scope = await TestScope.CreateAsync();
        var address = scope.EmailAddress("dua");
        var reset = Reset(address, "id");
        var messageId = Guid.NewGuid();
        await host.PublishAsync(reset, messageId);
        await host.PublishAsync(reset, messageId);
        await host.PublishAsync(Reset(scope.EmailAddress("penanda"), "id"), Guid.NewGuid());

        // The marker, sent after both deliveries, has arrived: so would a second copy have.
        await host.Mail.Inbox.WaitForMessagesToAsync(scope.EmailAddress("penanda"));
        await Eventually.TrueAsync(async () =>
        {
            await using var services = host.Notifications.CreateScope();
            return !await services.ServiceProvider.GetRequiredService<NotificationsDbContext>().Notifications.AnyAsync(n => n.Status == NotificationStatus.Pending && n.Address == address);
        }, because: "every copy to have been handled");
        Assert.Single(await host.Mail.Inbox.MessagesToAsync(address));
    }
}

/// <summary>What every email is made of, without a server.</summary>
public sealed class EmailCompositionTests
{
    [Fact]
    public void Every_template_has_a_subject_in_both_languages_using_only_its_own_parameters()
    {
        foreach (var template in MessageTemplates.All)
        {
            Assert.False(template.SubjectIndonesian == MessageTemplate.DefaultSubject, $"{template.Name} has no Indonesian subject (subjectId)");
            Assert.False(template.SubjectEnglish == MessageTemplate.DefaultSubject, $"{template.Name} has no English subject (subjectEn)");
            var filled = Enumerable.Range(1, template.ParameterCount).Select(i => $"p{i}").ToList();
            Assert.DoesNotContain("{{", template.RenderSubject("id", filled), StringComparison.Ordinal);
            Assert.DoesNotContain("{{", template.RenderSubject("en", filled), StringComparison.Ordinal);
            Assert.Equal(template.ParameterCount, Enumerable.Range(1, 20).Count(i => template.English.Contains($"{{{{{i}}}}}", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void No_template_starts_or_ends_with_a_parameter_as_WhatsApp_requires_of_a_template_it_approves()
    {
        var edge = new System.Text.RegularExpressions.Regex(@"^\{\{\d+\}\}|\{\{\d+\}\}\W*$");
        foreach (var template in MessageTemplates.All)
        {
            Assert.False(edge.IsMatch(template.Indonesian.Trim()), $"{template.Name} (id) starts or ends with a parameter");
            Assert.False(edge.IsMatch(template.English.Trim()), $"{template.Name} (en) starts or ends with a parameter");
        }
    }

    [Fact]
    public void The_html_body_escapes_every_word_and_links_only_the_links()
    {
        var html = SmtpEmailSender.Html("Undangan <x>", "Halo \"Ani\" <script>alert(1)</script>\nBuka https://toko.test/join?code=AB&x=1. Terima kasih", "id", "Toko & Co");

        Assert.Contains("<title>Undangan &lt;x&gt;</title>", html, StringComparison.Ordinal);
        Assert.Contains("<p>Halo &quot;Ani&quot; &lt;script&gt;alert(1)&lt;/script&gt;</p>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://toko.test/join?code=AB&amp;x=1\"", html, StringComparison.Ordinal);
        // The sentence's full stop is not part of the link.
        Assert.Contains(">https://toko.test/join?code=AB&amp;x=1</a>. Terima kasih</p>", html, StringComparison.Ordinal);
        Assert.Contains("Toko &amp; Co", html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"id\">", html, StringComparison.Ordinal);
    }
}
