using MassTransit;
using Marketplace.Contracts.Orders;

namespace Marketplace.Orders.Lifecycle;

/// <summary>
/// Finishes refunds whose request did not (a crash, a timeout, a refund started by a consumer). Idempotent by the
/// refund's state: one no longer pending is left as it is. While Stripe cannot be reached the delivery fails, and the
/// retry-then-redeliver policy tries again later.
/// </summary>
public sealed class CompleteRefundConsumer(OrderLifecycle lifecycle) : IConsumer<CompleteRefund>
{
    public Task Consume(ConsumeContext<CompleteRefund> context) => lifecycle.CompleteRefundAsync(context.Message.RefundId, context.CancellationToken);
}
