namespace Marketplace.ServiceDefaults.Messaging;

public sealed class OutboxOptions
{
    /// <summary>How often each replica looks for messages written by the others.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int BatchSize { get; set; } = 100;

    /// <summary>How long one publish may wait for the broker's confirm before it counts as failed.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Delivered outbox rows and inbox rows are kept this long, for diagnosis, then deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Whether this replica runs a dispatcher; the migration entry point does not.</summary>
    public bool DispatcherEnabled { get; set; } = true;
}
