namespace Marketplace.ServiceDefaults.Messaging;

public sealed class OutboxOptions
{
    /// <summary>
    /// How often each replica looks for messages when nothing woke it: commits wake it at once (its own through the
    /// DbContext, every replica's through PostgreSQL notifications), so the poll only finds delayed redeliveries
    /// coming due and covers a listening connection being reopened.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether this replica listens for the outbox table's notifications (see <see cref="OutboxNotifications"/>).</summary>
    public bool ListenForNotifications { get; set; } = true;

    public int BatchSize { get; set; } = 100;

    /// <summary>Dispatching loops per replica: one claims and publishes while another waits for the broker's confirms.</summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>How long one publish may wait for the broker's confirm before it counts as failed.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Delivered outbox rows and inbox rows are kept this long, for diagnosis, then deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Whether this replica runs a dispatcher; the migration entry point does not.</summary>
    public bool DispatcherEnabled { get; set; } = true;
}
