using System.Net.Sockets;
using MailKit.Security;
using Marketplace.LocalInfrastructure;
using Marketplace.Testing;

namespace Marketplace.IntegrationTests.Notifications;

/// <summary>
/// The email pipeline the Notifications service will use: MailKit sends over SMTP to the local infrastructure's
/// smtp4dev, and the test reads the messages back through its API as a recipient would see them.
/// </summary>
public sealed class SmtpServerTests
{
    private const string Shop = "Koperasi Wanita Pantai Binor";

    // Characters outside Latin-1 (— “ ” × ✓ ½): a message decoded with the wrong charset anywhere on the way shows them garbled.
    private const string OrderSubject = "Pesanan PB-0417 diterima — ambil di Kios Pantai Binor";
    private const string OrderText = """
        Halo Bu Siti,

        Terima kasih atas pesanan Anda: 2 × Keripik Tempe “Mutiara”, Rp 35.000.
        Kode ambil: 4817. Kios Pantai Binor buka pukul 08.00–16.00 WIB.
        Mohon bayar sebelum Senin, 7 Desember 2026 pukul 12.00 WIB.

        Salam hangat,
        Koperasi Wanita Pantai Binor
        """;

    private const string OrderHtml = """
        <p>Halo Bu Siti,</p>
        <p>Terima kasih atas pesanan Anda: 2 × Keripik Tempe “Mutiara”, <strong>Rp 35.000</strong>.</p>
        <p>Kode ambil: <strong>4817</strong>. Kios Pantai Binor buka pukul 08.00–16.00 WIB.</p>
        """;

    private const string DigestSubject = "3 pesanan baru untuk disiapkan ✓";
    private const string DigestText = "Ibu Nur, ada 3 pesanan baru: Ikan Asin Jambal ½ kg (2), Terasi Udang (1). Siapkan sebelum pukul 10.00.";
    private const string DigestHtml = "<p>Ibu Nur, ada <strong>3 pesanan baru</strong>: Ikan Asin Jambal ½ kg (2), Terasi Udang (1).</p>";

    [Fact]
    public async Task Two_emails_sent_with_MailKit_are_read_back_with_their_Indonesian_text_in_both_bodies()
    {
        var scope = await TestScope.CreateAsync();
        var mail = await TestInfrastructure.GetSharedMailAsync();
        var sender = new EmailSender(LocalSettings(mail.Host, mail.Port));
        var shopper = scope.EmailAddress("siti");
        var member = scope.EmailAddress("nur");

        await sender.SendAsync(new OutgoingEmail(shopper, "Siti Aminah", OrderSubject, OrderText, OrderHtml), CancellationToken.None);
        await sender.SendAsync(new OutgoingEmail(member, "Nur Hasanah", DigestSubject, DigestText, DigestHtml, MessageId: "digest-42@pantaibinor.test"), CancellationToken.None);

        var toShopper = Assert.Single(await mail.Inbox.WaitForMessagesToAsync(shopper));
        var order = await mail.Inbox.ReadAsync(toShopper.Id);
        Assert.Equal(OrderSubject, order.Subject);
        Assert.Equal($"\"{Shop}\" <toko@pantaibinor.test>", order.From);
        Assert.Equal($"\"Siti Aminah\" <{shopper}>", Assert.Single(order.To));
        Assert.Equal(Lines(OrderText), Lines(order.PlainText));
        Assert.Contains("2 × Keripik Tempe “Mutiara”, <strong>Rp 35.000</strong>", order.Html, StringComparison.Ordinal);
        Assert.Contains("Kode ambil: <strong>4817</strong>", order.Html, StringComparison.Ordinal);

        // The API lists the message's own headers without the Content-* ones: those are read from the source.
        var source = await mail.Inbox.SourceAsync(toShopper.Id);
        Assert.Contains("\nContent-Language: id\r\n", source, StringComparison.Ordinal);
        Assert.Contains("multipart/alternative", source, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("text/plain; charset=utf-8", source, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("text/html; charset=utf-8", source, StringComparison.OrdinalIgnoreCase);

        var toMember = Assert.Single(await mail.Inbox.WaitForMessagesToAsync(member));
        var digest = await mail.Inbox.ReadAsync(toMember.Id);
        Assert.Equal(DigestSubject, digest.Subject);
        Assert.Equal($"\"Nur Hasanah\" <{member}>", Assert.Single(digest.To));
        Assert.Equal(DigestText, Lines(digest.PlainText));
        Assert.Contains("Ikan Asin Jambal ½ kg", digest.Html, StringComparison.Ordinal);
        Assert.Equal("<digest-42@pantaibinor.test>", digest.Header("Message-ID"));

        // Each recipient got only her own message.
        Assert.DoesNotContain(await mail.Inbox.MessagesToAsync(shopper), m => m.Subject == DigestSubject);
    }

    [Fact]
    public async Task A_stopped_server_refuses_connections_starts_again_on_its_ports_and_leaves_nothing_behind()
    {
        var folder = TestInfrastructure.NewRunFolder("smtp4dev");
        int processId;
        var server = await SmtpServer.StartAsync(folder, deleteOnDispose: true);
        await using (server)
        {
            using var inbox = new SmtpInbox(server.WebUrl);
            var sender = new EmailSender(LocalSettings(server.Host, server.SmtpPort));
            await sender.SendAsync(new OutgoingEmail("siti@contoh.test", "Siti", "Sebelum berhenti", "Pesan pertama.", "<p>Pesan pertama.</p>"), CancellationToken.None);
            Assert.Single(await inbox.WaitForMessagesToAsync("siti@contoh.test"));

            await server.StopAsync();
            Assert.False(server.IsRunning);
            Assert.False(await AcceptsConnectionsAsync(server.SmtpPort));
            Assert.False(await AcceptsConnectionsAsync(server.WebPort));
            await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAsync(
                new OutgoingEmail("siti@contoh.test", "Siti", "Saat berhenti", "Tidak terkirim.", "<p>Tidak terkirim.</p>"), CancellationToken.None));

            await server.RestartAsync();
            // Messages are kept in memory only (as in the tests): a restart begins with an empty inbox.
            Assert.Empty(await inbox.MessagesAsync());
            await sender.SendAsync(new OutgoingEmail("siti@contoh.test", "Siti", "Setelah mulai lagi", "Pesan kedua.", "<p>Pesan kedua.</p>"), CancellationToken.None);
            var after = Assert.Single(await inbox.WaitForMessagesToAsync("siti@contoh.test"));
            Assert.Equal("Setelah mulai lagi", after.Subject);
            processId = server.ProcessId!.Value;
        }

        Assert.False(Directory.Exists(folder), "the server's folder is removed");
        Assert.False(IsSmtp4devOf(processId, folder), "the server's process has exited");
        Assert.False(await AcceptsConnectionsAsync(server.SmtpPort));
        Assert.False(await AcceptsConnectionsAsync(server.WebPort));
    }

    [Fact]
    public async Task A_server_that_keeps_its_messages_shows_them_again_after_a_restart()
    {
        var folder = TestInfrastructure.NewRunFolder("smtp4dev");
        await using var server = await SmtpServer.StartAsync(folder, keepMessages: true, deleteOnDispose: true);
        using var inbox = new SmtpInbox(server.WebUrl);
        var sender = new EmailSender(LocalSettings(server.Host, server.SmtpPort));
        await sender.SendAsync(new OutgoingEmail("admin@contoh.test", "Admin", "Pembayaran menunggu persetujuan kedua", "Satu batch.", "<p>Satu batch.</p>"), CancellationToken.None);
        Assert.Single(await inbox.WaitForMessagesToAsync("admin@contoh.test"));

        await server.StopAsync();
        await server.RestartAsync();

        var kept = Assert.Single(await inbox.MessagesToAsync("admin@contoh.test"));
        Assert.Equal("Pembayaran menunggu persetujuan kedua", kept.Subject);
        Assert.Equal("Satu batch.", Lines((await inbox.ReadAsync(kept.Id)).PlainText));
    }

    [Fact]
    public async Task A_server_left_running_in_a_folder_is_replaced_when_that_folder_s_server_starts_again()
    {
        // As after a local run killed with SIGKILL: its server still holds the ports the next run asks for.
        var folder = TestInfrastructure.NewRunFolder("smtp4dev");
        await using var leftover = await SmtpServer.StartAsync(folder);
        var leftoverProcess = leftover.ProcessId!.Value;

        await using var next = await SmtpServer.StartAsync(folder, smtpPort: leftover.SmtpPort, webPort: leftover.WebPort, deleteOnDispose: true);

        Assert.False(IsSmtp4devOf(leftoverProcess, folder), "the leftover server was stopped");
        Assert.True(next.IsRunning);
        using var inbox = new SmtpInbox(next.WebUrl);
        await new EmailSender(LocalSettings(next.Host, next.SmtpPort)).SendAsync(
            new OutgoingEmail("nur@contoh.test", "Nur", "Server baru", "Diterima server yang baru.", "<p>Diterima server yang baru.</p>"), CancellationToken.None);
        Assert.Equal("Server baru", Assert.Single(await inbox.WaitForMessagesToAsync("nur@contoh.test")).Subject);
    }

    private static SmtpSettings LocalSettings(string host, int port) => new()
    {
        Host = host,
        Port = port,
        Security = SecureSocketOptions.None,
        FromAddress = "toko@pantaibinor.test",
        FromName = Shop,
    };

    private static string Lines(string? text) => (text ?? string.Empty).ReplaceLineEndings("\n").TrimEnd();

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool IsSmtp4devOf(int processId, string folder)
    {
        var commandLine = $"/proc/{processId}/cmdline";
        try
        {
            return File.Exists(commandLine) && File.ReadAllText(commandLine).Contains(folder, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            // Gone between the two calls.
            return false;
        }
    }
}
