namespace Marketplace.Notifications;

/// <summary>Bound from <c>Notifications</c>.</summary>
public sealed class NotificationsOptions
{
    public const string SectionName = "Notifications";

    private static readonly TimeSpan[] DefaultRetryDelays = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2)];

    /// <summary>
    /// The delays between attempts after a failure; when they are spent, the message has failed. Null by default:
    /// configuration appends to a list it finds, so the defaults live in <see cref="Backoff"/>.
    /// </summary>
    public TimeSpan[]? RetryDelays { get; set; }

    public IReadOnlyList<TimeSpan> Backoff => RetryDelays is { Length: > 0 } delays ? delays : DefaultRetryDelays;

    /// <summary>The marketplace's public address, for links in messages (the order's page).</summary>
    public Uri PublicBaseUrl { get; set; } = new("http://localhost:8080");

    /// <summary>How often a replica looks for due messages it was not woken for (another replica's, a retry's).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a digest stays open after its first item, gathering the next ones into the same message.</summary>
    public TimeSpan DigestDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a message to a member or the admins waits for the Gateway's news of them (<c>AccountContactChanged</c>)
    /// before it is dropped with a log line. An event waits by being redelivered, so this must end within the consumers'
    /// redelivery delays (30 s, 2 min, 10 min by default), or the event ends in the error queue instead.
    /// </summary>
    public TimeSpan RecipientWait { get; set; } = TimeSpan.FromMinutes(5);
}
