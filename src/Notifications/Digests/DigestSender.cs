using System.Globalization;
using Marketplace.Notifications.People;
using Marketplace.Notifications.Templates;
using Marketplace.ServiceDefaults.Formatting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Notifications.Digests;

/// <summary>
/// Turns due digests into their messages, one per recipient, in the transaction that closes them. Run by the delivery
/// dispatcher at each of its wake-ups (no loop of its own): a due digest is claimed with <c>FOR UPDATE SKIP LOCKED</c>,
/// so two replicas never both send one, and the messages it adds wake every dispatcher through their insert trigger.
/// A digest whose recipient is not known yet is looked at again a little later, until the recipient wait is over.
/// </summary>
public sealed partial class DigestSender(
    NotificationsDbContext db, Recipients recipients, PeopleNews news, TimeProvider clock, IOptions<NotificationsOptions> options, ILogger<DigestSender> logger)
{
    public const int BatchSize = 20;

    /// <summary>Sends one batch of due digests in a scope of its own; returns how many it claimed.</summary>
    public static async Task<int> SendDueAsync(IServiceScopeFactory scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DigestSender>().SendDueAsync(cancellationToken);
    }

    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.Digests
            .FromSql($"SELECT * FROM notifications.digests WHERE status = 'Open' AND due_at <= {now} ORDER BY due_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);
        foreach (var digest in due)
        {
            List<Person> people = digest.Kind == DigestKind.MemberLines
                ? await recipients.MemberAsync(digest.SubjectId, cancellationToken) is { } member ? [member] : []
                : await recipients.AdminsOfAsync(digest.CooperativeId, cancellationToken);
            if (people.Count == 0)
            {
                await RecipientMissingAsync(digest, now, cancellationToken);
                continue;
            }

            var template = digest.Kind == DigestKind.MemberLines ? MessageTemplates.MemberLinesToPrepare : MessageTemplates.AdminProductsToReview;
            foreach (var person in people)
            {
                news.Tell(person, digest.Id, digest.CooperativeId, template, (p, culture) => Parameters(digest, p, culture));
            }

            digest.Sent(now);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }

    private async Task RecipientMissingAsync(Digest digest, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var wait = options.Value.RecipientWait;
        // A few looks within the wait, none more often than the dispatcher polls anyway.
        var recheck = TimeSpan.FromTicks(Math.Clamp(wait.Ticks / 5, options.Value.PollInterval.Ticks, TimeSpan.FromMinutes(1).Ticks));
        var zone = await db.Cooperatives.AsNoTracking().Where(c => c.CooperativeId == digest.CooperativeId).Select(c => c.TimeZone).FirstOrDefaultAsync(cancellationToken);
        if (!digest.RecipientMissing(now, wait, QuietHours.Respect(now + recheck, zone ?? LocalTime.DefaultZone)))
        {
            LogSkipped(logger, digest.Id, digest.Kind, digest.SubjectId, digest.Items.Count);
        }
    }

    private List<string> Parameters(Digest digest, Person person, CultureInfo culture)
    {
        var english = person.Language == "en";
        var name = PeopleNews.NameOf(person);
        if (digest.Kind == DigestKind.MemberLines)
        {
            var lines = digest.Items.Count;
            var orders = digest.Items.Select(i => i.Reference).Distinct().Count();
            var counts = english
                ? string.Create(culture, $"{lines} {(lines == 1 ? "line" : "lines")} from {orders} {(orders == 1 ? "order" : "orders")}")
                : string.Create(culture, $"{lines} baris dari {orders} pesanan");
            return [name, counts, MessageText.Summary(digest.Items.Select(i => (i.Name, i.Quantity)), person.Language), news.Link("/anggota/pesanan")];
        }

        // A product submitted, then its edit, within one digest is one product to review.
        var products = digest.Items.DistinctBy(i => i.Reference).ToList();
        var count = english
            ? string.Create(culture, $"{products.Count} {(products.Count == 1 ? "product" : "products")}")
            : string.Create(culture, $"{products.Count} produk");
        return [name, count, MessageText.Summary(products.Select(i => (i.Name, i.Quantity)), person.Language, quantities: false), news.Link("/admin/produk")];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Digest {DigestId} ({Kind} of {SubjectId}, {Items} items) skipped: its recipient is still not known here")]
    private static partial void LogSkipped(ILogger logger, Guid digestId, DigestKind kind, Guid subjectId, int items);
}
