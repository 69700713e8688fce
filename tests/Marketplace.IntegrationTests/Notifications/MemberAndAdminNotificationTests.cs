using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Gateway;
using Marketplace.Contracts.Orders;
using Marketplace.LocalInfrastructure;
using Marketplace.Notifications;
using Marketplace.Notifications.Deliveries;
using Marketplace.Notifications.Digests;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>
/// A clock the test moves forward: real time keeps running under it (retries, leases and redeliveries still fall due),
/// shifted by however far the test has moved it. It never goes back.
/// </summary>
public sealed class MovableClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void MoveTo(DateTimeOffset at)
    {
        var offset = (at - base.GetUtcNow()).Ticks;
        if (offset < Interlocked.Read(ref _offsetTicks))
        {
            throw new InvalidOperationException("The clock only moves forward.");
        }

        Interlocked.Exchange(ref _offsetTicks, offset);
    }

    public void Advance(TimeSpan by) => MoveTo(GetUtcNow() + by);

    /// <summary>
    /// Back to real time, for a test that waits on redeliveries: the outbox schedules them by this clock but finds them
    /// due by the database's, so they come only as late as this clock is ahead. Safe when nothing earlier is still pending.
    /// </summary>
    public void Reset() => Interlocked.Exchange(ref _offsetTicks, 0);

    /// <summary>The next time the clock in Western Indonesia reads <paramref name="hour"/>:<paramref name="minute"/>, at least an hour away.</summary>
    public DateTimeOffset NextWib(int hour, int minute)
    {
        var wib = TimeSpan.FromHours(7);
        var now = GetUtcNow().ToOffset(wib);
        var at = new DateTimeOffset(now.Year, now.Month, now.Day, hour, minute, 0, wib);
        while (at < now.AddHours(1))
        {
            at = at.AddDays(1);
        }

        return at;
    }
}

/// <summary>Notifications with a clock the tests move, sending through the WhatsApp emulator.</summary>
public sealed class ClockedNotificationsHost : IAsyncLifetime
{
    public MovableClock Clock { get; } = new();

    public ServiceHost<Marketplace.Notifications.Program> Notifications { get; private set; } = null!;

    public ServiceHost<Marketplace.WhatsAppEmulator.Program> WhatsApp { get; private set; } = null!;

    public HttpClient Emulator { get; private set; } = null!;

    /// <summary>The SMTP server email goes to: without it an email-only admin's message would fail as "not configured".</summary>
    public TestMail Mail { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Mail = await TestInfrastructure.GetSharedMailAsync();
        (Notifications, WhatsApp, Emulator) = await NotificationsHost.StartAsync(
            settings =>
            {
                settings["Notifications:PublicBaseUrl"] = "https://pasar.binor.test";
                settings["Email:Host"] = Mail.Host;
                settings["Email:Port"] = Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                settings["Email:Security"] = "None";
                settings["Email:FromAddress"] = "toko@pantaibinor.test";
                // An event about someone not known yet comes back every half second for a while, as it does every few
                // minutes in production; the wait itself (5 minutes of the event's time) is the production default.
                for (var i = 0; i < 40; i++)
                {
                    settings[$"Messaging:Retry:RedeliveryDelays:{i}"] = "00:00:00.500";
                }
            },
            services => services.AddSingleton<TimeProvider>(Clock));
    }

    public async Task DisposeAsync()
    {
        Emulator.Dispose();
        await Notifications.DisposeAsync();
        await WhatsApp.DisposeAsync();
    }

    public Task PublishAsync<T>(T message, Guid? messageId = null)
        where T : class =>
        Notifications.Services.GetRequiredService<IBus>().Publish(message, context => context.MessageId = messageId ?? Guid.NewGuid());

    public async Task<T> WithDbAsync<T>(Func<NotificationsDbContext, Task<T>> query)
    {
        await using var scope = Notifications.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<NotificationsDbContext>());
    }
}

/// <summary>What members and the cooperative's admins are told, from events published on the bus as their services publish them.</summary>
public sealed class MemberAndAdminNotificationTests(ClockedNotificationsHost host) : IClassFixture<ClockedNotificationsHost>
{
    private sealed record Sent(string Template, string Language, IReadOnlyList<string> Parameters, string Text);

    private static string NewNumber() => $"+62813{Random.Shared.Next(1_000_000, 9_999_999):D7}";

    /// <summary>Someone the Gateway told Notifications about: a member of <paramref name="memberOf"/>, or an admin of <paramref name="administers"/>.</summary>
    private async Task<Guid> KnownAsync(string name, string? whatsApp, string? email = null, Guid? memberId = null, Guid? memberOf = null, Guid? administers = null, string language = "id")
    {
        var userId = Guid.NewGuid();
        await host.PublishAsync(new AccountContactChanged(userId, name, email, whatsApp, memberId, memberOf, administers is { } c ? [c] : [], host.Clock.GetUtcNow()));
        await Eventually.TrueAsync(() => host.WithDbAsync(db => db.People.AnyAsync(p => p.UserId == userId)), because: $"{name} to be known");
        if (language != "id")
        {
            // Her own choice, as the preferences page would save it.
            await host.WithDbAsync(db => db.People.Where(p => p.UserId == userId).ExecuteUpdateAsync(p => p.SetProperty(x => x.Language, language)));
        }

        return userId;
    }

    private async Task<List<Sent>> WhatsAppToAsync(string number)
    {
        var messages = await host.Emulator.GetFromJsonAsync<JsonElement>($"/_emulator/messages?to={Uri.EscapeDataString(number.TrimStart('+'))}");
        return messages.EnumerateArray().Select(m => new Sent(
            m.GetProperty("template_name").GetString()!,
            m.GetProperty("language").GetString()!,
            m.GetProperty("parameters").EnumerateArray().Select(p => p.GetString()!).ToList(),
            m.GetProperty("text").GetString()!)).ToList();
    }

    private Task<List<Sent>> WhatsAppToAsync(string number, int count, string because) =>
        Eventually.GetAsync(() => WhatsAppToAsync(number), m => m.Count >= count, because: because);

    private Task<List<Notification>> NotificationsToAsync(Guid userId)
    {
        var recipient = $"account:{userId}";
        return host.WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.Recipient == recipient).OrderBy(n => n.CreatedAt).ToListAsync());
    }

    private Task<Digest?> OpenDigestAsync(DigestKind kind, Guid subjectId) =>
        host.WithDbAsync(db => db.Digests.AsNoTracking().FirstOrDefaultAsync(d => d.Kind == kind && d.SubjectId == subjectId && d.Status == DigestStatus.Open));

    private static SoldLine Line(Guid memberId, string name, int quantity) =>
        new(Guid.NewGuid(), memberId, Guid.NewGuid(), Guid.NewGuid(), "makanan", name, quantity, 25_000, 25_000L * quantity, 10m);

    private OrderPaid Paid(Guid cooperativeId, params SoldLine[] lines) =>
        new(Guid.NewGuid(), cooperativeId, PaymentChannel.Card, "pi_1", lines, 0, lines.Sum(l => l.LineTotalRupiah), host.Clock.GetUtcNow());

    [Fact]
    public async Task Three_lines_from_two_orders_within_the_window_make_one_digest_per_member_in_her_language()
    {
        host.Clock.MoveTo(host.Clock.NextWib(10, 0));
        var cooperative = Guid.NewGuid();
        var (siti, sitiNumber) = (Guid.NewGuid(), NewNumber());
        var (mary, maryNumber) = (Guid.NewGuid(), NewNumber());
        var sitiAccount = await KnownAsync("Siti Aminah", sitiNumber, memberId: siti, memberOf: cooperative);
        await KnownAsync("Mary", maryNumber, memberId: mary, memberOf: cooperative, language: "en");
        var first = Paid(cooperative, Line(siti, "Kerupuk Ikan", 2), Line(siti, "Terasi Udang", 1), Line(mary, "Batik Tulis", 1));
        var second = Paid(cooperative, Line(siti, "Kerupuk Ikan", 3));

        // The first order is delivered three times.
        var firstId = Guid.NewGuid();
        for (var i = 0; i < 3; i++)
        {
            await host.PublishAsync(first, firstId);
        }

        await host.PublishAsync(second);

        var digest = await Eventually.GetAsync(() => OpenDigestAsync(DigestKind.MemberLines, siti), d => d?.Items.Count == 3, because: "both orders' lines in Siti's digest");
        Assert.Equal(host.Clock.GetUtcNow().AddMinutes(5), digest!.DueAt, TimeSpan.FromMinutes(1));
        Assert.Empty(await WhatsAppToAsync(sitiNumber));

        host.Clock.Advance(TimeSpan.FromMinutes(6));

        var toSiti = await WhatsAppToAsync(sitiNumber, 1, "Siti's digest");
        var message = Assert.Single(toSiti);
        Assert.Equal(("member_lines_to_prepare", "id"), (message.Template, message.Language));
        Assert.Equal(["Siti Aminah", "3 baris dari 2 pesanan", "Kerupuk Ikan (5), Terasi Udang (1)", "https://pasar.binor.test/anggota/pesanan"], message.Parameters);
        Assert.StartsWith("Halo Siti Aminah, ada pesanan baru untuk Anda siapkan: 3 baris dari 2 pesanan.", message.Text, StringComparison.Ordinal);
        var toMary = Assert.Single(await WhatsAppToAsync(maryNumber, 1, "Mary's digest"));
        Assert.Equal("en", toMary.Language);
        Assert.Equal(["Mary", "1 line from 1 order", "Batik Tulis (1)", "https://pasar.binor.test/anggota/pesanan"], toMary.Parameters);

        // An order after the digest went opens the next one: told later, not lost and not added to the one sent.
        await host.PublishAsync(Paid(cooperative, Line(siti, "Abon Ikan", 1)));
        await Eventually.TrueAsync(async () => await OpenDigestAsync(DigestKind.MemberLines, siti) is { Items.Count: 1 }, because: "a new digest");
        host.Clock.Advance(TimeSpan.FromMinutes(6));
        var both = await WhatsAppToAsync(sitiNumber, 2, "the next digest");
        Assert.Equal(["Siti Aminah", "1 baris dari 1 pesanan", "Abon Ikan (1)", "https://pasar.binor.test/anggota/pesanan"], both[1].Parameters);
        await Eventually.TrueAsync(
            async () => (await NotificationsToAsync(sitiAccount)) is { Count: 2 } all && all.All(n => n.Status == NotificationStatus.Delivered),
            because: "her two digests to be delivered");
        Assert.Equal(2, (await WhatsAppToAsync(sitiNumber)).Count);
    }

    [Fact]
    public async Task A_digest_falling_due_at_22_00_WIB_waits_for_06_00()
    {
        var evening = host.Clock.NextWib(21, 55);
        host.Clock.MoveTo(evening);
        var cooperative = Guid.NewGuid();
        var (member, number) = (Guid.NewGuid(), NewNumber());
        await KnownAsync("Dewi Lestari", number, memberId: member, memberOf: cooperative);

        await host.PublishAsync(Paid(cooperative, Line(member, "Kerupuk Ikan", 2)));

        var digest = await Eventually.GetAsync(() => OpenDigestAsync(DigestKind.MemberLines, member), d => d is not null, because: "the digest to open");
        var morning = new DateTimeOffset(evening.Date.AddDays(1).AddHours(6), TimeSpan.FromHours(7));
        Assert.Equal(morning, digest!.DueAt);

        // At 22:30 the dispatcher finds nothing due: the digest is still open and nobody was told.
        host.Clock.MoveTo(evening.AddMinutes(35));
        await using (var scope = host.Notifications.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<DigestSender>().SendDueAsync(CancellationToken.None);
        }

        Assert.NotNull(await OpenDigestAsync(DigestKind.MemberLines, member));
        Assert.Empty(await WhatsAppToAsync(number));

        host.Clock.MoveTo(morning.AddSeconds(1));

        var message = Assert.Single(await WhatsAppToAsync(number, 1, "the digest at 06:00"));
        Assert.Equal("1 baris dari 1 pesanan", message.Parameters[1]);
    }

    [Fact]
    public async Task Products_waiting_for_review_reach_every_admin_as_one_digest_each_on_her_channel_and_in_her_language()
    {
        host.Clock.MoveTo(host.Clock.NextWib(9, 0));
        var cooperative = Guid.NewGuid();
        var wa = NewNumber();
        await KnownAsync("Bu Rina", wa, administers: cooperative);
        var annaAddress = $"anna.{Guid.NewGuid():N}@mawar.test";
        var byEmail = await KnownAsync("Anna", null, annaAddress, administers: cooperative, language: "en");
        var member = Guid.NewGuid();
        var (kerupuk, terasi) = (Guid.NewGuid(), Guid.NewGuid());
        var now = host.Clock.GetUtcNow();

        await host.PublishAsync(new ProductSubmittedForReview(kerupuk, cooperative, member, "Kerupuk Ikan", now));
        await host.PublishAsync(new ProductSubmittedForReview(terasi, cooperative, member, "Terasi Udang", now));
        // Kerupuk's edit, before the digest went: still one product to review.
        await host.PublishAsync(new ProductSubmittedForReview(kerupuk, cooperative, member, "Kerupuk Ikan", now));
        await Eventually.TrueAsync(async () => await OpenDigestAsync(DigestKind.ProductsToReview, cooperative) is { Items.Count: 3 }, because: "three submissions in the digest");
        host.Clock.Advance(TimeSpan.FromMinutes(6));

        var message = Assert.Single(await WhatsAppToAsync(wa, 1, "the WhatsApp admin's digest"));
        Assert.Equal(("admin_products_to_review", "id"), (message.Template, message.Language));
        Assert.Equal(["Bu Rina", "2 produk", "Kerupuk Ikan, Terasi Udang", "https://pasar.binor.test/admin/produk"], message.Parameters);
        var email = Assert.Single(await Eventually.GetAsync(() => NotificationsToAsync(byEmail), n => n.Count > 0, because: "the email admin's digest"));
        Assert.Equal((DeliveryChannel.Email, annaAddress, "en", "admin_products_to_review"), (email.Channel, email.Address, email.Language, email.Template));
        Assert.Equal(["Anna", "2 products", "Kerupuk Ikan, Terasi Udang", "https://pasar.binor.test/admin/produk"], email.Parameters);
        // And it reached her mailbox, as her mail program shows it.
        var received = await host.Mail.Inbox.ReadAsync(Assert.Single(await host.Mail.Inbox.WaitForMessagesToAsync(annaAddress)).Id);
        Assert.Equal("Waiting for review: 2 products", received.Subject);
        Assert.Contains("Hello Anna, waiting for your review: 2 products (Kerupuk Ikan, Terasi Udang). Open https://pasar.binor.test/admin/produk", received.PlainText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_is_told_of_her_products_review_her_payout_expiring_permits_and_low_stock_once_each_in_her_language()
    {
        host.Clock.MoveTo(host.Clock.NextWib(11, 0));
        var cooperative = Guid.NewGuid();
        var (siti, sitiNumber) = (Guid.NewGuid(), NewNumber());
        var (mary, maryNumber) = (Guid.NewGuid(), NewNumber());
        await KnownAsync("Siti Aminah", sitiNumber, memberId: siti, memberOf: cooperative);
        await KnownAsync("Mary", maryNumber, memberId: mary, memberOf: cooperative, language: "en");
        var (rani, raniAddress) = (Guid.NewGuid(), $"rani.{Guid.NewGuid():N}@melati.test");
        await KnownAsync("Rani", null, raniAddress, memberId: rani, memberOf: cooperative);
        var product = Guid.NewGuid();
        var now = host.Clock.GetUtcNow();
        var approved = Guid.NewGuid();

        for (var i = 0; i < 3; i++)
        {
            await host.PublishAsync(new ProductApproved(product, cooperative, siti, "Kerupuk Ikan", now), approved);
        }

        await host.PublishAsync(new ProductRejected(product, cooperative, siti, "Kerupuk Ikan", "Foto kurang jelas;\nlabel tidak terbaca", now));
        var payout = Guid.NewGuid();
        await host.PublishAsync(new PayoutPaid(payout, cooperative, siti, 1_250_000, now));
        await host.PublishAsync(new PermitExpiring(product, cooperative, siti, "Kerupuk Ikan", "halal", "ID35110000123450923", new DateOnly(2027, 1, 31), 30));
        await host.PublishAsync(new PermitExpiring(product, cooperative, siti, "Kerupuk Ikan", "pirt", "2020235010123-26", new DateOnly(2027, 1, 1), 0));
        await host.PublishAsync(new StockRunningLow(Guid.NewGuid(), product, cooperative, siti, "Kerupuk Ikan", "250 g", 3, 5, now));
        await host.PublishAsync(new ProductRejected(product, cooperative, mary, "Batik Tulis", "The photo is blurred", now));
        await host.PublishAsync(new PermitExpiring(product, cooperative, mary, "Batik Tulis", "halal", "ID35110000999990923", new DateOnly(2027, 3, 31), 90));

        var toSiti = (await WhatsAppToAsync(sitiNumber, 6, "Siti's six messages")).ToDictionary(m => m.Template);
        Assert.Equal(["Siti Aminah", "Kerupuk Ikan", $"https://pasar.binor.test/anggota/produk/{product}"], toSiti["member_product_approved"].Parameters);
        Assert.Equal(["Siti Aminah", "Kerupuk Ikan", "Foto kurang jelas; label tidak terbaca", $"https://pasar.binor.test/anggota/produk/{product}"],
            toSiti["member_product_rejected"].Parameters);
        Assert.Contains("Alasannya: Foto kurang jelas; label tidak terbaca.", toSiti["member_product_rejected"].Text, StringComparison.Ordinal);
        // Her statement of that payout, at the route Settlement serves it on.
        Assert.Equal(["Siti Aminah", "Rp 1.250.000", "https://pasar.binor.test" + Marketplace.Orders.Settlement.Payouts.Statements.Url(payout, siti)],
            toSiti["member_payout_paid"].Parameters);
        Assert.Contains($"Buka https://pasar.binor.test/api/settlement/payout-batches/{payout}/members/{siti}/statement.pdf untuk slip dan rinciannya.",
            toSiti["member_payout_paid"].Text, StringComparison.Ordinal);
        Assert.Equal(
            ["Siti Aminah", "sertifikat halal", "ID35110000123450923", "Kerupuk Ikan", "31 Januari 2027", "30", $"https://pasar.binor.test/anggota/produk/{product}/ubah"],
            toSiti["member_permit_expiring"].Parameters);
        Assert.Equal(["Siti Aminah", "P-IRT", "2020235010123-26", "Kerupuk Ikan", "1 Januari 2027", $"https://pasar.binor.test/anggota/produk/{product}/ubah"],
            toSiti["member_permit_expires_today"].Parameters);
        Assert.Equal(["Siti Aminah", "Kerupuk Ikan (250 g)", "3", $"https://pasar.binor.test/anggota/produk/{product}"], toSiti["member_stock_low"].Parameters);
        Assert.All(toSiti.Values, m => Assert.Equal("id", m.Language));

        // A member with only an email address reads hers in her mailbox.
        var raniProduct = Guid.NewGuid();
        await host.PublishAsync(new PayoutPaid(Guid.NewGuid(), cooperative, rani, 480_000, now));
        await host.PublishAsync(new ProductApproved(raniProduct, cooperative, rani, "Keripik Rumput Laut", now));
        var toRani = await host.Mail.Inbox.WaitForMessagesToAsync(raniAddress, 2);
        var raniApproved = await host.Mail.Inbox.ReadAsync(Assert.Single(toRani, m => m.Subject == "Keripik Rumput Laut disetujui").Id);
        Assert.Contains($"Halo Rani, pengurus sudah menyetujui Keripik Rumput Laut; produk itu tampil di toko seperti yang Anda ajukan. Buka https://pasar.binor.test/anggota/produk/{raniProduct}",
            raniApproved.PlainText, StringComparison.Ordinal);
        Assert.Single(toRani, m => m.Subject == "Koperasi membayar Anda Rp 480.000");

        var toMary = (await WhatsAppToAsync(maryNumber, 2, "Mary's two messages")).ToDictionary(m => m.Template);
        Assert.Contains("The reason: The photo is blurred.", toMary["member_product_rejected"].Text, StringComparison.Ordinal);
        Assert.Contains("the halal certificate number ID35110000999990923 of Batik Tulis is valid until 31 March 2027, 90 days from now", toMary["member_permit_expiring"].Text, StringComparison.Ordinal);

        // The approval delivered three times was told once.
        var sitiAccount = await host.WithDbAsync(db => db.People.Where(p => p.MemberId == siti).Select(p => p.UserId).SingleAsync());
        await Eventually.TrueAsync(
            async () => (await NotificationsToAsync(sitiAccount)) is { Count: 6 } all && all.All(n => n.Status == NotificationStatus.Delivered),
            because: "her six messages to be delivered");
        Assert.Equal(6, (await WhatsAppToAsync(sitiNumber)).Count);
    }

    [Fact]
    public async Task A_new_order_tells_every_admin_and_a_payout_batch_asks_every_admin_but_the_one_who_prepared_it()
    {
        host.Clock.MoveTo(host.Clock.NextWib(13, 0));
        var cooperative = Guid.NewGuid();
        var (rinaNumber, annaNumber, shopperNumber) = (NewNumber(), NewNumber(), NewNumber());
        var rina = await KnownAsync("Bu Rina", rinaNumber, administers: cooperative);
        var anna = await KnownAsync("Anna", annaNumber, administers: cooperative, language: "en");
        var dewiAddress = $"dewi.{Guid.NewGuid():N}@mawar.test";
        var dewi = await KnownAsync("Bu Dewi", null, dewiAddress, administers: cooperative);
        var order = new OrderConfirmed(
            Guid.NewGuid(), cooperative, "K7P2QX", PayAtKiosk: true, Shipping: false, new DateOnly(2026, 12, 24), host.Clock.GetUtcNow().AddHours(6), 55_000,
            new ShopperContact("Wulan", shopperNumber, null, "id"), host.Clock.GetUtcNow());

        await host.PublishAsync(order);

        var toRina = Assert.Single(await WhatsAppToAsync(rinaNumber, 1, "Rina's new order"));
        Assert.Equal(("admin_new_order", "id"), (toRina.Template, toRina.Language));
        Assert.Equal(["Bu Rina", "K7P2QX", "Rp 55.000", "diambil di kios pada Kamis, 24 Desember 2026, dibayar di kios", "https://pasar.binor.test/admin/pesanan"], toRina.Parameters);
        var toAnna = Assert.Single(await WhatsAppToAsync(annaNumber, 1, "Anna's new order"));
        Assert.Equal("pickup at the kiosk on Thursday, 24 December 2026, paid at the kiosk", toAnna.Parameters[3]);
        var toDewi = Assert.Single(await Eventually.GetAsync(() => NotificationsToAsync(dewi), n => n.Count > 0, because: "Dewi's email"));
        Assert.Equal((DeliveryChannel.Email, "admin_new_order"), (toDewi.Channel, toDewi.Template));
        var dewiMail = await host.Mail.Inbox.ReadAsync(Assert.Single(await host.Mail.Inbox.WaitForMessagesToAsync(dewiAddress)).Id);
        Assert.Equal("Pesanan baru K7P2QX", dewiMail.Subject);
        Assert.Contains("Halo Bu Dewi, ada pesanan baru K7P2QX sebesar Rp 55.000: diambil di kios pada Kamis, 24 Desember 2026, dibayar di kios.", dewiMail.PlainText, StringComparison.Ordinal);
        // The shopper's own message about the same order stands beside the admins'.
        Assert.Equal("shopper_order_at_kiosk", Assert.Single(await WhatsAppToAsync(shopperNumber, 1, "the shopper's message")).Template);

        var batch = Guid.NewGuid();
        await host.PublishAsync(new PayoutBatchAwaitingApproval(batch, cooperative, rina, 12, 3_450_000, host.Clock.GetUtcNow()));

        var askAnna = (await WhatsAppToAsync(annaNumber, 2, "Anna asked to approve"))[1];
        Assert.Equal(("admin_payout_awaiting_approval", "en"), (askAnna.Template, askAnna.Language));
        Assert.Equal(["Anna", "Bu Rina", "12", "Rp 3.450.000", $"https://pasar.binor.test/admin/pembayaran/{batch}"], askAnna.Parameters);
        await Eventually.TrueAsync(async () => (await NotificationsToAsync(dewi)).Count == 2, because: "Dewi asked by email");
        var dewiAsked = await host.Mail.Inbox.ReadAsync((await host.Mail.Inbox.WaitForMessagesToAsync(dewiAddress, 2))[1].Id);
        Assert.Contains($"https://pasar.binor.test/admin/pembayaran/{batch}", dewiAsked.PlainText, StringComparison.Ordinal);
        Assert.Equal(
            2,
            await host.WithDbAsync(db => db.Notifications.CountAsync(n => n.Template == "admin_payout_awaiting_approval" && n.CooperativeId == cooperative)));
        Assert.Single(await WhatsAppToAsync(rinaNumber));
    }

    [Fact]
    public async Task A_member_not_known_yet_is_told_once_she_is_known_within_the_wait_and_not_after_it()
    {
        host.Clock.Reset();
        var cooperative = Guid.NewGuid();
        var (late, lateNumber) = (Guid.NewGuid(), NewNumber());
        var (never, neverNumber) = (Guid.NewGuid(), NewNumber());
        var now = host.Clock.GetUtcNow();

        // Her approval arrives before the Gateway's news of her, and comes back until that news is in.
        await host.PublishAsync(new ProductApproved(Guid.NewGuid(), cooperative, late, "Kerupuk Ikan", now));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await KnownAsync("Siti Aminah", lateNumber, memberId: late, memberOf: cooperative);

        Assert.Equal("member_product_approved", Assert.Single(await WhatsAppToAsync(lateNumber, 1, "the approval once she is known")).Template);

        // An approval from an hour ago about someone still unknown is past the wait: handled, and nobody told.
        var stale = Guid.NewGuid();
        await host.PublishAsync(new ProductApproved(Guid.NewGuid(), cooperative, never, "Terasi Udang", now.AddHours(-1)), stale);
        await Eventually.TrueAsync(
            () => host.WithDbAsync(db => db.Set<InboxMessage>().AnyAsync(m => m.MessageId == stale && m.Consumer == "ProductApprovedConsumer")),
            because: "the stale approval to be handled");
        await KnownAsync("Ani", neverNumber, memberId: never, memberOf: cooperative);
        Assert.False(await host.WithDbAsync(db => db.Notifications.AnyAsync(n => n.SourceMessageId == stale)));

        // A digest due while its member is unknown is looked at again, and sent once she is known (in the daytime).
        host.Clock.MoveTo(host.Clock.NextWib(15, 0));
        var (digestOnly, digestNumber) = (Guid.NewGuid(), NewNumber());
        await host.PublishAsync(Paid(cooperative, Line(digestOnly, "Abon Ikan", 4)));
        await Eventually.TrueAsync(async () => await OpenDigestAsync(DigestKind.MemberLines, digestOnly) is not null, because: "her digest to open");
        host.Clock.Advance(TimeSpan.FromMinutes(6));
        await Eventually.TrueAsync(
            async () => await OpenDigestAsync(DigestKind.MemberLines, digestOnly) is { RecipientMissingSince: not null },
            because: "the dispatcher to find nobody to tell yet");
        await KnownAsync("Bu Yati", digestNumber, memberId: digestOnly, memberOf: cooperative);
        host.Clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(["Bu Yati", "1 baris dari 1 pesanan", "Abon Ikan (4)", "https://pasar.binor.test/anggota/pesanan"],
            Assert.Single(await WhatsAppToAsync(digestNumber, 1, "the digest once she is known")).Parameters);
    }
}
