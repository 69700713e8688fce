using System.Net.Http.Json;
using Marketplace.Catalog.Permits;
using Marketplace.Catalog.Products;
using Marketplace.Contracts.Catalog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Marketplace.Catalog.Tests;

/// <summary>
/// The permit sweep, driven by its own clock. Each test works in a year of its own, far from today, so that neither the
/// other tests' products nor the service's own hourly sweep (on the real clock) meet its permits.
/// </summary>
public sealed class PermitReminderTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    // Pantai Binor keeps Western Indonesia Time (UTC+7), the cooperatives' default zone.
    private static readonly TimeSpan Wib = TimeSpan.FromHours(7);

    [Fact]
    public async Task Each_threshold_is_sent_once_90_days_then_30_then_on_the_day_by_the_cooperatives_date()
    {
        var validUntil = new DateOnly(2031, 6, 1);
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member, Dated("Kerupuk Ikan Tenggiri", pirt: validUntil, halal: null));

        async Task<List<int>> SweepOnAsync(DateOnly localDay, int hour = 9)
        {
            await Sweeper(At(localDay, hour)).SweepAsync(CancellationToken.None);
            return (await RemindersAsync(product.Id)).Select(r => r.DaysLeft).ToList();
        }

        Assert.Empty(await SweepOnAsync(validUntil.AddDays(-91)));
        Assert.Equal([90], await SweepOnAsync(validUntil.AddDays(-90)));
        Assert.Equal([90], await SweepOnAsync(validUntil.AddDays(-90), hour: 15));
        Assert.Equal([90], await SweepOnAsync(validUntil.AddDays(-45)));
        Assert.Equal([90, 30], await SweepOnAsync(validUntil.AddDays(-30)));
        Assert.Equal([90, 30], await SweepOnAsync(validUntil.AddDays(-29)));
        // 00:30 in Probolinggo is still the day before in UTC: the cooperative's date decides.
        Assert.Equal([90, 30, 0], await SweepOnAsync(validUntil, hour: 0));
        Assert.Equal([90, 30, 0], await SweepOnAsync(validUntil, hour: 20));
        Assert.Equal([90, 30, 0], await SweepOnAsync(validUntil.AddDays(1)));

        var today = (await RemindersAsync(product.Id))[^1];
        Assert.Equal((product.Id, cooperative.Id, member.Id), (today.ProductId, today.CooperativeId, today.MemberId));
        Assert.Equal(("Kerupuk Ikan Tenggiri", "pirt", "P-IRT No. 2020235010123-26", validUntil), (today.ProductName, today.Permit, today.Number, today.ValidUntil));
    }

    [Fact]
    public async Task A_permit_first_seen_20_days_before_expiry_gets_only_the_30_day_reminder()
    {
        var today = new DateOnly(2033, 3, 10);
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member, Dated("Ikan Asin Teri", pirt: today.AddDays(400), halal: today.AddDays(20)));

        Assert.Equal(1, await Sweeper(At(today)).SweepAsync(CancellationToken.None));
        Assert.Equal(0, await Sweeper(At(today.AddDays(1))).SweepAsync(CancellationToken.None));

        var reminder = Assert.Single(await RemindersAsync(product.Id));
        Assert.Equal(("halal", 30, today.AddDays(20), "ID35110000123450923"), (reminder.Permit, reminder.DaysLeft, reminder.ValidUntil, reminder.Number));
    }

    [Fact]
    public async Task Two_sweepers_at_once_send_each_reminder_once()
    {
        var today = new DateOnly(2035, 8, 1);
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var products = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            products.Add((await catalog.PublishedProductAsync(member, Dated($"Terasi Udang {i + 1}", pirt: today.AddDays(90), halal: today.AddDays(30 - i)))).Id);
        }

        for (var day = 0; day < 3; day++)
        {
            var at = At(today.AddDays(day));
            var sent = await Task.WhenAll(Sweeper(at).SweepAsync(CancellationToken.None), Sweeper(at).SweepAsync(CancellationToken.None));
            Assert.Equal(day == 0 ? 12 : 0, sent.Sum());
        }

        foreach (var id in products)
        {
            var reminders = await RemindersAsync(id);
            Assert.Equal([("halal", 30), ("pirt", 90)], reminders.Select(r => (r.Permit, r.DaysLeft)).OrderBy(r => r.Permit, StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Drafts_products_under_review_archived_products_and_products_without_permits_are_not_reminded()
    {
        var today = new DateOnly(2037, 2, 1);
        var expiring = Dated("Kerupuk Rajungan", pirt: today.AddDays(30), halal: today.AddDays(30));
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var draft = await catalog.CreateProductAsync(member, expiring);
        var underReview = await catalog.CreateProductAsync(member, expiring);
        (await catalog.As(member.Token).PostAsync(new Uri($"/api/catalog/products/{underReview.Id}/submit", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var archived = await catalog.PublishedProductAsync(member, expiring);
        (await catalog.As(member.Token).PostAsync(new Uri($"/api/catalog/products/{archived.Id}/archive", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var withoutPermits = await catalog.PublishedProductAsync(member, Dated("Batik Tulis Binor", pirt: null, halal: null));
        var onSale = await catalog.PublishedProductAsync(member, expiring);

        Assert.Equal(2, await Sweeper(At(today)).SweepAsync(CancellationToken.None));

        Assert.Equal(["halal", "pirt"], (await RemindersAsync(onSale.Id)).Select(r => r.Permit).Order(StringComparer.Ordinal));
        foreach (var quiet in new[] { draft.Id, underReview.Id, archived.Id, withoutPermits.Id })
        {
            Assert.Empty(await RemindersAsync(quiet));
        }
    }

    [Fact]
    public void The_nearest_threshold_passed_is_the_one_sent()
    {
        Assert.Equal([null, 90, 90, 30, 30, 0, null], new[] { 91, 90, 31, 30, 1, 0, -1 }.Select(PermitReminderSweep.ThresholdReached));
    }

    private PermitReminderSweep Sweeper(DateTimeOffset now) => new(
        catalog.Host.GetRequired<IServiceScopeFactory>(), Options.Create(new PermitReminderOptions()), new FixedClock(now), NullLogger<PermitReminderSweep>.Instance);

    private static DateTimeOffset At(DateOnly localDay, int hour = 9) => new(localDay.ToDateTime(new TimeOnly(hour, 30)), Wib);

    private Task<List<PermitExpiring>> RemindersAsync(Guid productId) =>
        ReviewEventsTests.PublishedAsync<PermitExpiring>(catalog, e => e.ProductId == productId);

    /// <summary>A packaged food with the permits given (none: no number and no date).</summary>
    private static object Dated(string name, DateOnly? pirt, DateOnly? halal) => new
    {
        category = "kerupuk",
        listing = new
        {
            nameId = name,
            descriptionId = "Oleh-oleh khas Pantai Binor, dibuat oleh anggota koperasi.",
            netContent = "250 g",
            pirtNumber = pirt is null ? null : "P-IRT No. 2020235010123-26",
            pirtValidUntil = pirt,
            halalCertificateNumber = halal is null ? null : "ID35110000123450923",
            halalValidUntil = halal,
        },
        variants = new[]
        {
            new { sku = "PRM-" + Guid.NewGuid().ToString("N")[..8], label = "250 g", priceRupiah = 20_000L, weightGrams = 300, stock = 10 },
        },
    };

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }
}
