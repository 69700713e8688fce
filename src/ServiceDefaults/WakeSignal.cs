using System.Threading.Channels;

namespace Marketplace.ServiceDefaults;

/// <summary>
/// Wakes a background loop that otherwise waits for its poll interval: pulses that arrive while it works fold into
/// one, so a burst of work costs one extra look, not one per pulse.
/// </summary>
public class WakeSignal
{
    private readonly Channel<bool> _pulses = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    public void Pulse() => _pulses.Writer.TryWrite(true);

    /// <summary>Waits for a pulse or <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await _pulses.Reader.ReadAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed without a pulse: look anyway.
        }
    }
}
