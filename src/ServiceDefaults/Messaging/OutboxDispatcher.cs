using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Marketplace.ServiceDefaults.Messaging;

/// <summary>
/// Delivers the outbox to the broker. Any number of replicas may run one: each batch is claimed with
/// <c>FOR UPDATE SKIP LOCKED</c>, so a message is handed to one dispatcher at a time, and a message whose
/// ordering key has an older undelivered message waits for it.
/// </summary>
public sealed class OutboxDispatcher<TDbContext>(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignals signals,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxDispatcher<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
    private readonly OutboxOptions _options = options.Value;
    private readonly OutboxSignal _signal = signals.For<TDbContext>();
    private DateTimeOffset _nextCleanup = DateTimeOffset.MinValue;
    private long _claims;

    /// <summary>How many times this dispatcher has looked for messages: with nothing pending, once per poll interval.</summary>
    public long Claims => Interlocked.Read(ref _claims);

    private static readonly TimeSpan CallForHelpInterval = TimeSpan.FromSeconds(1);

    private long _callsForHelp;
    private long _lastCallForHelp;

    /// <summary>How many times this dispatcher has notified the other replicas: when it found a backlog, and when it stopped.</summary>
    public long CallsForHelp => Interlocked.Read(ref _callsForHelp);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.DispatcherEnabled)
        {
            return;
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, _options.Concurrency)).Select(i => RunAsync(lead: i == 0, stoppingToken)));

        // This replica's commits notified nobody (its dispatcher was woken in-process): whatever it wrote and did not
        // deliver before stopping, the other replicas are told to look for now rather than at their next poll.
        await CallForHelpOnStopAsync();
    }

    /// <summary>
    /// One dispatching loop. While one loop waits for its batch's confirms, another claims what was committed
    /// meanwhile (the claim hands each message to one loop, as it does between replicas). Only the lead loop polls
    /// and cleans up: the others wait for a wakeup, so an idle replica still looks once per poll interval.
    /// </summary>
    private async Task RunAsync(bool lead, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            int delivered;
            try
            {
                delivered = await DispatchBatchAsync(stoppingToken);
                failures = 0;
                if (lead)
                {
                    await CleanUpIfDueAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or DbException or InvalidOperationException or TimeoutException)
            {
                // The database is unreachable or not migrated yet: nothing is lost, the rows wait.
                failures++;
                logger.LogWarning(ex, "Outbox dispatch failed ({Failures} in a row); retrying", failures);
                delivered = 0;
                await Task.Delay(Backoff(failures), clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (delivered == 0)
            {
                await _signal.WaitAsync(lead ? _options.PollInterval : Timeout.InfiniteTimeSpan, stoppingToken);
            }
        }
    }

    /// <summary>Claims one batch, publishes it and records the outcome. Returns how many were delivered.</summary>
    public async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var table = db.OutboxTableName();

        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var batch = await ClaimBatchAsync(db, table, cancellationToken);
        Interlocked.Increment(ref _claims);
        MessagingTelemetry.OutboxClaims.Add(1);
        if (batch.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }

        if (batch.Count >= _options.BatchSize && _options.ListenForNotifications && CallForHelpDue())
        {
            // More than one batch waits: the other replicas are woken to take a share (at this transaction's commit,
            // when the rows claimed here are still locked and they skip them). Once a second at most: a woken replica
            // keeps claiming while it finds messages, and under a backlog every claim comes back full.
            await NotifyOthersAsync(db, cancellationToken);
        }

        // A batch holds at most one message per ordering key (the claim skips a message whose key has an older one
        // pending), so its messages may be in flight together: the broker's confirms arrive in one round trip, not
        // one after another.
        // The publishes start together, so one deadline serves them all rather than a timer of its own for each.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);
        var outcomes = await Task.WhenAll(batch.Select(message => TryDeliverAsync(message, timeout.Token, cancellationToken)));
        var delivered = outcomes.Where(o => o.Error is null).Select(o => o.Message.Sequence).ToArray();
        var failed = outcomes.Where(o => o.Error is not null).ToArray();
        if (failed.Length > 0)
        {
            LogFailures(failed);
            var recordFailures = $$"""
                UPDATE {{table}} o SET attempts = o.attempts + 1, last_error = f.error, next_attempt_at = now() + f.delay
                FROM unnest({0}::bigint[], {1}::text[], {2}::interval[]) AS f(sequence, error, delay)
                WHERE o.sequence = f.sequence
                """;
            await db.Database.ExecuteSqlRawAsync(
                recordFailures,
                [
                    failed.Select(f => f.Message.Sequence).ToArray(),
                    failed.Select(f => Truncate(f.Error!.Message, 2000)).ToArray(),
                    failed.Select(f => Backoff(f.Message.Attempts + 1)).ToArray(),
                ],
                cancellationToken);
        }

        if (delivered.Length > 0)
        {
            var markDelivered = $"UPDATE {table} SET dispatched_at = now(), attempts = attempts + 1, last_error = NULL WHERE sequence = ANY({{0}})";
            await db.Database.ExecuteSqlRawAsync(
                markDelivered,
                [delivered],
                cancellationToken);
        }

        // Committing marks them delivered. A crash between publish and commit publishes them again:
        // delivery is at least once, and consumers' inboxes make that exactly once in effect.
        await transaction.CommitAsync(CancellationToken.None);
        MessagingTelemetry.OutboxDispatched.Add(delivered.Length);
        return delivered.Length;
    }

    /// <summary>A publish that fails or outlives <paramref name="deadline"/> is an outcome to record; stopping is not.</summary>
    private async Task<DeliveryOutcome> TryDeliverAsync(PendingMessage message, CancellationToken deadline, CancellationToken stopping)
    {
        try
        {
            await DeliverAsync(message, deadline);
            return new DeliveryOutcome(message, null);
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            return new DeliveryOutcome(message, ex);
        }
    }

    private void LogFailures(DeliveryOutcome[] failed)
    {
        MessagingTelemetry.OutboxFailed.Add(failed.Length);
        // With the broker down every message of the batch fails the same way: one warning says it.
        var (message, error) = failed[0];
        logger.LogWarning(error, "Outbox message {MessageId} ({MessageType}) could not be delivered, attempt {Attempt}; {Others} more of this batch failed",
            message.MessageId, message.MessageType, message.Attempts + 1, failed.Length - 1);
    }

    private async Task<List<PendingMessage>> ClaimBatchAsync(TDbContext db, string table, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        command.CommandText = OutboxClaim.Sql(table);
        var batchSize = command.CreateParameter();
        batchSize.ParameterName = "batch_size";
        batchSize.Value = _options.BatchSize;
        command.Parameters.Add(batchSize);

        var batch = new List<PendingMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            batch.Add(new PendingMessage(
                reader.GetInt64(0),
                reader.GetGuid(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetInt32(5),
                reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return batch;
    }

    private async Task DeliverAsync(PendingMessage pending, CancellationToken deadline)
    {
        var type = OutboxMessageTypes.Resolve(pending.MessageType);
        var message = JsonSerializer.Deserialize(pending.Body, type, OutboxMessageTypes.SerializerOptions)
            ?? throw new InvalidOperationException($"Outbox message {pending.MessageId} has an empty body.");

        // The publish continues the trace of the request or message that wrote the row (its traceparent is kept in the
        // row), not a new trace of the dispatcher's loop: MassTransit's send span, and the consumers' spans on the other
        // side of the broker, become its children.
        ActivityContext.TryParse(pending.TraceParent, null, isRemote: true, out var parent);
        using var activity = MessagingTelemetry.ActivitySource.StartActivity("outbox deliver", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.message.id", pending.MessageId);
        activity?.SetTag("messaging.message.type", type.Name);

        void Stamp(SendContext context)
        {
            context.MessageId = pending.MessageId;
            if (pending.RedeliveryCount > 0)
            {
                context.Headers.Set(MessagingModelBuilderExtensions.RedeliveryCountHeader, pending.RedeliveryCount);
            }
        }

        if (pending.DestinationAddress is { } destination)
        {
            var endpoint = await bus.GetSendEndpoint(new Uri(destination));
            await endpoint.Send(message, type, Stamp, deadline);
        }
        else
        {
            await bus.Publish(message, type, Stamp, deadline);
        }
    }

    private bool CallForHelpDue()
    {
        var now = clock.GetTimestamp();
        var last = Interlocked.Read(ref _lastCallForHelp);
        return (last == 0 || clock.GetElapsedTime(last, now) >= CallForHelpInterval)
            && Interlocked.CompareExchange(ref _lastCallForHelp, now, last) == last;
    }

    private async Task NotifyOthersAsync(TDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlRawAsync("SELECT pg_notify({0}, {1})", [OutboxNotifications.Channel(db.OutboxSchema()), _signal.CallForHelpPayload], cancellationToken);
        Interlocked.Increment(ref _callsForHelp);
    }

    private async Task CallForHelpOnStopAsync()
    {
        if (!_options.ListenForNotifications)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await using var scope = scopes.CreateAsyncScope();
            await NotifyOthersAsync(scope.ServiceProvider.GetRequiredService<TDbContext>(), timeout.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or DbException or InvalidOperationException or OperationCanceledException)
        {
            // Best effort: the others' polls find the rows anyway.
            logger.LogDebug(ex, "Could not notify the other replicas while stopping");
        }
    }

    private async Task CleanUpIfDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now < _nextCleanup)
        {
            return;
        }

        _nextCleanup = now.AddMinutes(10);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var cutoff = now - _options.Retention;
        var deleteOutbox = $"DELETE FROM {db.OutboxTableName()} WHERE dispatched_at < {{0}}";
        var deleteInbox = $"DELETE FROM {db.InboxTableName()} WHERE processed_at < {{0}}";
        await db.Database.ExecuteSqlRawAsync(deleteOutbox, [cutoff], cancellationToken);
        await db.Database.ExecuteSqlRawAsync(deleteInbox, [cutoff], cancellationToken);
    }

    private TimeSpan Backoff(int attempts)
    {
        var seconds = Math.Min(Math.Pow(2, Math.Min(attempts, 16)) * 0.25, _options.MaxRetryDelay.TotalSeconds);
        return TimeSpan.FromSeconds(seconds);
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    private sealed record DeliveryOutcome(PendingMessage Message, Exception? Error);

    private sealed record PendingMessage(
        long Sequence,
        Guid MessageId,
        string MessageType,
        string Body,
        string? DestinationAddress,
        int RedeliveryCount,
        int Attempts,
        string? TraceParent);
}

/// <summary>The query that claims a batch of the outbox.</summary>
public static class OutboxClaim
{
    /// <summary>
    /// Pending messages that are due, in publishing order, each the oldest pending message of its key, locked (skipping
    /// rows another dispatcher holds), at most <c>@batch_size</c>. The table name comes from the EF model.
    /// </summary>
    /// <remarks>
    /// The outer walk goes through <c>ix_outbox_pending_in_order</c> ("next_attempt_at &lt;= now()" implies its filter).
    /// "The oldest pending message of its key" is asked as a lookup of that key's first pending sequence, which only
    /// <c>ix_outbox_pending_by_key</c> can answer, whatever the statistics say: written as NOT EXISTS (an older pending
    /// row), or where another index on pending rows could serve it, the planner, expecting next to nothing pending from
    /// the statistics of a table that is nearly all delivered, checked it by walking the pending rows, once per message
    /// claimed: a claim over 5,000 pending took 5 s.
    /// </remarks>
    public static string Sql(string table) => $"""
        SELECT o.sequence, o.message_id, o.message_type, o.body, o.destination_address, o.redelivery_count, o.attempts, o.trace_parent
        FROM {table} o
        WHERE o.dispatched_at IS NULL
          AND o.next_attempt_at <= now()
          AND (o.ordering_key IS NULL OR o.sequence = (
              SELECT p.sequence FROM {table} p
              WHERE p.ordering_key = o.ordering_key AND p.dispatched_at IS NULL
              ORDER BY p.sequence
              LIMIT 1))
        ORDER BY o.sequence
        LIMIT @batch_size
        FOR UPDATE OF o SKIP LOCKED
        """;
}
