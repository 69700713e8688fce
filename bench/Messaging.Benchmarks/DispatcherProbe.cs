using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Messaging.Benchmarks;

/// <summary>
/// Where the outbox path's time goes, read from what the services already emit, so the benchmark needs no hook in
/// the dispatcher: its "outbox deliver" activity (one message's publish up to the broker's confirm), Npgsql's command
/// activities (the claim query, the mark-delivered update, the writers' insert) and the claim and dispatch counters.
/// Activities are only created while recording, so the throughput phases run without them.
/// </summary>
internal sealed class DispatcherProbe : IDisposable
{
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;
    private long _claims;
    private long _dispatched;
    private volatile bool _recording;

    public DispatcherProbe()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MessagingTelemetry.ActivitySourceName or "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => _recording ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_activities);

        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MessagingTelemetry.MeterName && instrument.Name is "marketplace.outbox.claims" or "marketplace.outbox.dispatched")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "marketplace.outbox.claims")
            {
                Interlocked.Add(ref _claims, value);
            }
            else
            {
                Interlocked.Add(ref _dispatched, value);
            }
        });
        _meters.Start();
    }

    /// <summary>Each delivered message's publish, from the dispatcher starting it to the broker's confirm.</summary>
    public ConcurrentDictionary<Guid, (long Start, long Stop)> Publishes { get; } = new();

    /// <summary>Each claim query, start and end.</summary>
    public ConcurrentQueue<(long Start, long Stop)> ClaimQueries { get; } = new();

    public ConcurrentQueue<double> MarkDeliveredMs { get; } = new();

    public ConcurrentQueue<double> InsertMs { get; } = new();

    /// <summary>The claim query's text as Npgsql last sent it, for --explain.</summary>
    public string? ClaimSql { get; private set; }

    public (long Claims, long Dispatched) Counters => (Interlocked.Read(ref _claims), Interlocked.Read(ref _dispatched));

    public void StartRecording()
    {
        Publishes.Clear();
        ClaimQueries.Clear();
        MarkDeliveredMs.Clear();
        InsertMs.Clear();
        _recording = true;
    }

    public void StopRecording() => _recording = false;

    private void Stopped(Activity activity)
    {
        var stop = Stopwatch.GetTimestamp();
        var start = stop - (long)(activity.Duration.TotalSeconds * Stopwatch.Frequency);
        if (activity.Source.Name == MessagingTelemetry.ActivitySourceName)
        {
            if (activity.GetTagItem("messaging.message.id") is Guid messageId)
            {
                Publishes[messageId] = (start, stop);
            }

            return;
        }

        if (activity.GetTagItem("db.query.text") is not string sql)
        {
            return;
        }

        var ms = activity.Duration.TotalMilliseconds;
        if (sql.Contains("SKIP LOCKED", StringComparison.Ordinal))
        {
            ClaimQueries.Enqueue((start, stop));
            ClaimSql = sql;
        }
        else if (sql.Contains("SET dispatched_at", StringComparison.Ordinal))
        {
            MarkDeliveredMs.Enqueue(ms);
        }
        else if (sql.StartsWith("INSERT INTO", StringComparison.Ordinal) && sql.Contains(MessagingModelBuilderExtensions.OutboxTable, StringComparison.Ordinal))
        {
            InsertMs.Enqueue(ms);
        }
    }

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }
}
