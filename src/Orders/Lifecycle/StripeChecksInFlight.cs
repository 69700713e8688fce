using System.Collections.Concurrent;
using Marketplace.Orders.Payments;

namespace Marketplace.Orders.Lifecycle;

/// <summary>
/// One check with Stripe per order at a time on this replica. Stripe sends a payment's events together (the session's
/// <c>checkout.session.completed</c> and the intent's <c>payment_intent.succeeded</c>, delivered side by side): each made
/// Orders ask Stripe for the session and the charge, and both raced to record the same payment, one of them then
/// retrying on the order's row version. A check that starts while another runs for the same order waits for it and takes
/// its answer when that answer is "paid", which is final; any other answer may have been read before what this caller
/// was told happened, so it checks again itself. Other replicas check on their own, as before: this only saves work.
/// </summary>
public sealed class StripeChecksInFlight
{
    private readonly ConcurrentDictionary<Guid, Task<CheckoutState?>> _running = new();

    public async Task<CheckoutState?> CheckAsync(Guid orderId, Func<Task<CheckoutState?>> check, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        var mine = new TaskCompletionSource<CheckoutState?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = _running.GetOrAdd(orderId, mine.Task);
        if (running != mine.Task)
        {
            try
            {
                if (await running.WaitAsync(cancellationToken) is { Paid: true } paid)
                {
                    return paid;
                }
            }
#pragma warning disable CA1031 // The other caller's failure is reported to it; this one checks on its own instead.
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
            }

            return await check();
        }

        try
        {
            var state = await check();
            mine.SetResult(state);
            return state;
        }
        catch (Exception ex)
        {
            mine.SetException(ex);
            // Observed here, so a failure nobody joined is not reported as unobserved.
            _ = mine.Task.Exception;
            throw;
        }
        finally
        {
            _running.TryRemove(KeyValuePair.Create(orderId, mine.Task));
        }
    }

    /// <summary>How many orders are being checked now (for tests).</summary>
    public int Running => _running.Count;
}
