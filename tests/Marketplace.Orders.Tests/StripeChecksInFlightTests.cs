using Marketplace.Orders.Lifecycle;
using Marketplace.Orders.Payments;

namespace Marketplace.Orders.Tests;

/// <summary>Two of Stripe's events for one payment arriving together make one check with Stripe, not two.</summary>
public sealed class StripeChecksInFlightTests
{
    private static readonly CheckoutState PaidState = new("complete", "pi_paid");
    private static readonly CheckoutState OpenState = new("open", null);

    [Fact]
    public async Task A_check_that_starts_while_another_runs_takes_its_paid_answer_without_asking_again()
    {
        var checks = new StripeChecksInFlight();
        var orderId = Guid.NewGuid();
        var stripeAnswers = new TaskCompletionSource<CheckoutState?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var asked = 0;

        var first = checks.CheckAsync(orderId, () => { Interlocked.Increment(ref asked); return stripeAnswers.Task; });
        var second = checks.CheckAsync(orderId, () => { Interlocked.Increment(ref asked); return Task.FromResult<CheckoutState?>(OpenState); });
        stripeAnswers.SetResult(PaidState);

        Assert.Same(PaidState, await first);
        Assert.Same(PaidState, await second);
        Assert.Equal(1, asked);
        Assert.Equal(0, checks.Running);
    }

    [Fact]
    public async Task A_joined_answer_other_than_paid_or_a_failure_is_not_trusted_the_caller_asks_itself()
    {
        var checks = new StripeChecksInFlight();
        var orderId = Guid.NewGuid();

        // Not paid: it may have been read before what the second caller was told, so the second asks Stripe itself.
        var notYet = new TaskCompletionSource<CheckoutState?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = checks.CheckAsync(orderId, () => notYet.Task);
        var second = checks.CheckAsync(orderId, () => Task.FromResult<CheckoutState?>(PaidState));
        notYet.SetResult(OpenState);
        Assert.Same(OpenState, await first);
        Assert.Same(PaidState, await second);

        // The first caller's failure is its own; the second still gets an answer.
        var failing = new TaskCompletionSource<CheckoutState?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var third = checks.CheckAsync(orderId, () => failing.Task);
        var fourth = checks.CheckAsync(orderId, () => Task.FromResult<CheckoutState?>(PaidState));
        failing.SetException(new HttpRequestException("Stripe could not be reached"));
        await Assert.ThrowsAsync<HttpRequestException>(() => third);
        Assert.Same(PaidState, await fourth);

        // Different orders never wait for each other.
        var slow = new TaskCompletionSource<CheckoutState?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var blockedOrder = checks.CheckAsync(orderId, () => slow.Task);
        Assert.Same(OpenState, await checks.CheckAsync(Guid.NewGuid(), () => Task.FromResult<CheckoutState?>(OpenState)));
        Assert.False(blockedOrder.IsCompleted);
        slow.SetResult(null);
        Assert.Null(await blockedOrder);
        Assert.Equal(0, checks.Running);
    }
}
