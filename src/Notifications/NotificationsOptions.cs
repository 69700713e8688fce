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
}
