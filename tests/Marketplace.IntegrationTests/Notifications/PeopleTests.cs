using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Contracts.Gateway;
using Marketplace.Notifications;
using Marketplace.Notifications.Deliveries;
using Marketplace.Notifications.People;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>Notifications' directory of people (from the Gateway's news) and each person's choice of language and channel.</summary>
public sealed class PeopleTests(NotificationsHost host) : IClassFixture<NotificationsHost>
{
    private static AccountContactChanged Account(Guid userId, string? email, string? whatsApp, DateTimeOffset at, Guid? memberId = null, Guid? cooperativeId = null, params Guid[] administers) =>
        new(userId, "Siti Aminah", email, whatsApp, memberId, cooperativeId, administers, at);

    private async Task<Person?> PersonAsync(Guid userId)
    {
        await using var scope = host.Notifications.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().People.AsNoTracking().FirstOrDefaultAsync(p => p.UserId == userId);
    }

    private HttpClient As(Guid userId) =>
        host.Notifications.CreateClient().WithToken(TestTokens.Issuer.Mint(new ServiceCaller(userId, [MarketplaceRoles.Shopper])));

    [Fact]
    public async Task Members_and_admins_are_found_from_the_gateways_news_and_a_late_older_change_does_not_undo_a_newer_one()
    {
        var cooperative = Guid.NewGuid();
        var member = Guid.NewGuid();
        var memberAccount = Guid.NewGuid();
        var admin = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;

        await host.PublishAsync(Account(memberAccount, null, "+6281234500001", now, member, cooperative), Guid.NewGuid());
        await host.PublishAsync(Account(admin, "admin@mawar.test", null, now, administers: cooperative), Guid.NewGuid());
        // The older news of the member (before she had a number) arrives last.
        await host.PublishAsync(Account(memberAccount, "siti@mail.test", null, now.AddMinutes(-5)), Guid.NewGuid());

        await Eventually.TrueAsync(async () => await PersonAsync(admin) is not null, because: "the admin to be known");
        await using var scope = host.Notifications.CreateScope();
        var recipients = scope.ServiceProvider.GetRequiredService<Recipients>();
        var found = await Eventually.GetAsync(() => recipients.MemberAsync(member, CancellationToken.None), p => p is not null, because: "the member to be known");
        Assert.Equal(new Reach(DeliveryChannel.WhatsApp, "+6281234500001"), found!.Reach());
        var admins = await recipients.AdminsOfAsync(cooperative, CancellationToken.None);
        Assert.Equal([admin], admins.Select(a => a.UserId));
        Assert.Equal(new Reach(DeliveryChannel.Email, "admin@mawar.test"), admins[0].Reach());
        Assert.Empty(await recipients.AdminsOfAsync(Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task A_person_chooses_email_and_English_and_a_later_contact_change_keeps_her_choice()
    {
        var userId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await host.PublishAsync(Account(userId, "wulan@mail.test", "+6281234500002", now), Guid.NewGuid());
        await Eventually.TrueAsync(async () => await PersonAsync(userId) is not null, because: "the account to be known");
        var client = As(userId);

        var before = await client.GetFromJsonAsync<JsonElement>("/api/notifications/me/preferences");
        Assert.Equal("whatsApp", before.GetProperty("sendsTo").GetString());
        Assert.Equal("+62812••••0002", before.GetProperty("whatsApp").GetString());

        var chosen = await client.PutAsJsonAsync("/api/notifications/me/preferences", new { language = "en", channel = "email" });
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
        await host.PublishAsync(Account(userId, "wulan@mail.test", "+6281234500003", now.AddMinutes(1)), Guid.NewGuid());

        var person = await Eventually.GetAsync(() => PersonAsync(userId), p => p!.WhatsApp == "+6281234500003", because: "the new number to arrive");
        Assert.Equal("en", person!.Language);
        Assert.Equal(new Reach(DeliveryChannel.Email, "wulan@mail.test"), person.Reach());
    }

    [Fact]
    public async Task A_channel_she_has_no_address_on_or_an_unknown_language_is_refused_at_its_field_and_nothing_changes()
    {
        var userId = Guid.NewGuid();
        await host.PublishAsync(Account(userId, null, "+6281234500004", DateTimeOffset.UtcNow), Guid.NewGuid());
        await Eventually.TrueAsync(async () => await PersonAsync(userId) is not null, because: "the account to be known");

        var refused = await As(userId).PutAsJsonAsync("/api/notifications/me/preferences", new { language = "fr", channel = "email" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("language", out _));
        Assert.True(errors.TryGetProperty("channel", out _));
        var person = await PersonAsync(userId);
        Assert.Equal("id", person!.Language);
        Assert.Null(person.PreferredChannel);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Notifications.CreateClient().GetAsync(new Uri("/api/notifications/me/preferences", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_signed_in_shopper_who_chose_email_in_English_gets_her_orders_news_so_and_a_guest_the_checkouts_way()
    {
        var userId = Guid.NewGuid();
        await host.PublishAsync(Account(userId, "ann@wisata.test", "+6281234500005", DateTimeOffset.UtcNow), Guid.NewGuid());
        await Eventually.TrueAsync(async () => await PersonAsync(userId) is not null, because: "the account to be known");
        Assert.Equal(HttpStatusCode.OK, (await As(userId).PutAsJsonAsync("/api/notifications/me/preferences", new { language = "en", channel = "email" })).StatusCode);
        Contracts.Orders.OrderConfirmed Order(Guid? shopper) => new(
            Guid.NewGuid(), Guid.NewGuid(), "M41LME", PayAtKiosk: true, Shipping: false, new DateOnly(2026, 12, 24), DateTimeOffset.UtcNow.AddDays(1), 40_000,
            new Contracts.Orders.ShopperContact("Ann", "+6281234500006", null, "id"), DateTimeOffset.UtcNow, shopper);
        var hers = Order(userId);
        var guests = Order(null);

        await host.PublishAsync(hers, Guid.NewGuid());
        await host.PublishAsync(guests, Guid.NewGuid());

        var toHer = await Eventually.GetAsync(() => host.NotificationsForAsync(hers.OrderId), n => n.Count == 1, because: "her order's message");
        Assert.Equal((DeliveryChannel.Email, "ann@wisata.test", "en"), (toHer[0].Channel, toHer[0].Address, toHer[0].Language));
        var toGuest = await Eventually.GetAsync(() => host.NotificationsForAsync(guests.OrderId), n => n.Count == 1, because: "the guest's message");
        Assert.Equal((DeliveryChannel.WhatsApp, "+6281234500006", "id"), (toGuest[0].Channel, toGuest[0].Address, toGuest[0].Language));
    }
}
