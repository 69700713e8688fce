using System.Globalization;
using Marketplace.Notifications.Templates;
using Microsoft.Extensions.Options;

namespace Marketplace.Notifications.People;

/// <summary>
/// Tells a member, or every admin of a cooperative, one event: a message each, in her language, on her channel. The
/// Gateway's news of a person (<c>AccountContactChanged</c>) travels on another queue than the events about her, so a
/// recipient not known yet is waited for a while (<see cref="NotificationsOptions.RecipientWait"/> from the event) by
/// failing this delivery, which comes again; after that the event is not told, and a log line says so.
/// </summary>
public sealed partial class PeopleNews(
    NotificationsDbContext db, Recipients recipients, TimeProvider clock, IOptions<NotificationsOptions> options, ILogger<PeopleNews> logger)
{
    /// <summary>How a message greets her: her name as on her account, on one line.</summary>
    public static string NameOf(Person person)
    {
        ArgumentNullException.ThrowIfNull(person);
        return MessageText.OneLine(person.DisplayName, 60, person.Language == "en" ? "there" : "Ibu");
    }

    /// <summary>A page of the marketplace as a full link.</summary>
    public string Link(string path) => MessageText.Link(options.Value.PublicBaseUrl, path);

    /// <summary>Adds the member's message to the context; the consumer's transaction saves it.</summary>
    public async Task TellMemberAsync(
        Guid sourceMessageId, Guid memberId, Guid cooperativeId, DateTimeOffset happenedAt, string template,
        Func<Person, CultureInfo, IReadOnlyList<string>> parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var member = await recipients.MemberAsync(memberId, cancellationToken);
        if (member is null)
        {
            WaitOrGiveUp(happenedAt, template, $"member {memberId}");
            LogUnknownMember(logger, memberId, template);
            return;
        }

        Tell(member, sourceMessageId, cooperativeId, template, parameters);
    }

    /// <summary>Adds a message to every admin of the cooperative but <paramref name="except"/> (who did what is told).</summary>
    public async Task TellAdminsAsync(
        Guid sourceMessageId, Guid cooperativeId, DateTimeOffset happenedAt, string template, Func<Person, CultureInfo, IReadOnlyList<string>> parameters,
        CancellationToken cancellationToken, Guid? except = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var admins = await recipients.AdminsOfAsync(cooperativeId, cancellationToken);
        if (admins.Count == 0)
        {
            WaitOrGiveUp(happenedAt, template, $"the admins of cooperative {cooperativeId}");
            LogNoAdmins(logger, cooperativeId, template);
            return;
        }

        var told = admins.Where(a => a.UserId != except).ToList();
        if (told.Count == 0)
        {
            LogNoOtherAdmin(logger, cooperativeId, template);
        }

        foreach (var admin in told)
        {
            Tell(admin, sourceMessageId, cooperativeId, template, parameters);
        }
    }

    /// <summary>Her message, unless she has no address at all (then a log line, without her personal data).</summary>
    public void Tell(Person person, Guid sourceMessageId, Guid cooperativeId, string template, Func<Person, CultureInfo, IReadOnlyList<string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(parameters);
        var name = MessageTemplates.Named(template).Name;
        var message = person.Message(sourceMessageId, cooperativeId, name, parameters(person, MessageText.Culture(person.Language)), clock.GetUtcNow());
        if (message is null)
        {
            LogNoAddress(logger, person.UserId, name);
            return;
        }

        db.Notifications.Add(message);
    }

    private void WaitOrGiveUp(DateTimeOffset happenedAt, string template, string whom)
    {
        if (clock.GetUtcNow() - happenedAt < options.Value.RecipientWait)
        {
            throw new InvalidOperationException($"Nothing is known yet of {whom}; this {template} event waits for the Gateway's news of them.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Member {MemberId} is not known here (no account news from the Gateway); not told ({Template})")]
    private static partial void LogUnknownMember(ILogger logger, Guid memberId, string template);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cooperative {CooperativeId} has no admin known here; nobody told ({Template})")]
    private static partial void LogNoAdmins(ILogger logger, Guid cooperativeId, string template);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cooperative {CooperativeId} has no other admin to tell ({Template})")]
    private static partial void LogNoOtherAdmin(ILogger logger, Guid cooperativeId, string template);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {UserId} has neither a WhatsApp number nor an email address; not told ({Template})")]
    private static partial void LogNoAddress(ILogger logger, Guid userId, string template);
}
