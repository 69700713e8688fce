using Marketplace.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Checkout;

/// <summary>
/// Lets a request wait for an order's status to change instead of asking again and again: a trigger on the orders
/// table notifies every replica when a status changes, so the request is answered whichever replica consumed the
/// message that changed it.
/// </summary>
public sealed class OrderChangeWaiters : IPostgresNotificationHandler
{
    public const string ChannelName = "orders.order_status";

    /// <summary>Beyond this many waiting requests, a request is answered at once rather than held.</summary>
    public const int MaxWaiting = 10_000;

    private readonly Dictionary<Guid, List<TaskCompletionSource>> _waiting = [];
    private readonly Lock _gate = new();
    private int _count;

    public bool Enabled => true;

    public string Channel(DbContext db) => ChannelName;

    public void Notified(string payload)
    {
        if (Guid.TryParse(payload, out var orderId))
        {
            List<TaskCompletionSource>? released;
            lock (_gate)
            {
                _waiting.Remove(orderId, out released);
            }

            released?.ForEach(w => w.TrySetResult());
        }
    }

    // A change made while the connection was down was never announced: every waiter looks again.
    public void Listening()
    {
        List<TaskCompletionSource> all;
        lock (_gate)
        {
            all = _waiting.Values.SelectMany(w => w).ToList();
            _waiting.Clear();
        }

        all.ForEach(w => w.TrySetResult());
    }

    /// <summary>Whether a request is waiting for <paramref name="orderId"/> on this replica.</summary>
    public bool IsWaitingFor(Guid orderId)
    {
        lock (_gate)
        {
            return _waiting.ContainsKey(orderId);
        }
    }

    /// <summary>Starts waiting for <paramref name="orderId"/> to change; register before reading the order, so no change slips between.</summary>
    public Waiting? Register(Guid orderId)
    {
        if (Interlocked.Increment(ref _count) > MaxWaiting)
        {
            Interlocked.Decrement(ref _count);
            return null;
        }

        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (!_waiting.TryGetValue(orderId, out var list))
            {
                _waiting[orderId] = list = [];
            }

            list.Add(waiter);
        }

        return new Waiting(this, orderId, waiter);
    }

    private void Unregister(Guid orderId, TaskCompletionSource waiter)
    {
        lock (_gate)
        {
            if (_waiting.TryGetValue(orderId, out var list) && list.Remove(waiter) && list.Count == 0)
            {
                _waiting.Remove(orderId);
            }
        }

        Interlocked.Decrement(ref _count);
    }

    public sealed class Waiting(OrderChangeWaiters owner, Guid orderId, TaskCompletionSource waiter) : IDisposable
    {
        /// <summary>Completes when the order changes (or the replica must look again); false if <paramref name="timeout"/> passed first.</summary>
        public async Task<bool> ChangedAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            try
            {
                await waiter.Task.WaitAsync(timeout, cancellationToken);
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        }

        public void Dispose() => owner.Unregister(orderId, waiter);
    }
}
