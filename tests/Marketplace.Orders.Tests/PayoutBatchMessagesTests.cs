using Marketplace.Contracts.Orders;
using Marketplace.Orders.Settlement.Payouts;

namespace Marketplace.Orders.Tests;

/// <summary>What a batch's steps owe to the outbox: the admins asked once to approve it, each member told once she is paid.</summary>
public sealed class PayoutBatchMessagesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_prepared_batch_asks_for_approval_with_its_members_and_total_and_a_paid_line_tells_its_member()
    {
        var (preparer, siti, ani) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var batch = PayoutBatch.Prepare(Guid.NewGuid(), null, 0, preparer, Now);
        batch.Include(new PayableBalance(siti, 67_500, 5_000), account: null, accountChangePending: false);
        batch.Include(new PayableBalance(ani, 36_000, 0), account: null, accountChangePending: false);

        batch.AwaitApproval();
        batch.Approve(Guid.NewGuid(), Now.AddHours(1));
        batch.Settle(siti, paid: true, "TRF-01", Now.AddHours(2));
        batch.Settle(ani, paid: false, "Rekening ditutup", Now.AddHours(2));

        Assert.Collection(
            batch.MessagesOwed().Select(m => m.Message),
            m => Assert.Equal(new PayoutBatchAwaitingApproval(batch.Id, batch.CooperativeId, preparer, 2, 62_500 + 36_000, Now), m),
            m => Assert.Equal(new PayoutPaid(batch.Id, batch.CooperativeId, siti, 62_500, Now.AddHours(2)), m));
        Assert.All(batch.MessagesOwed(), m => Assert.Equal(batch.Id.ToString(), m.OrderingKey));
        Assert.Throws<InvalidOperationException>(batch.AwaitApproval);
    }

    [Fact]
    public void A_batch_with_nobody_to_pay_asks_nobody_and_can_be_announced_only_once()
    {
        var batch = PayoutBatch.Prepare(Guid.NewGuid(), null, 0, Guid.NewGuid(), Now);
        batch.Include(new PayableBalance(Guid.NewGuid(), 50_000, 0), account: null, accountChangePending: true);

        batch.AwaitApproval();

        Assert.Empty(batch.MessagesOwed());
        Assert.Throws<InvalidOperationException>(batch.AwaitApproval);
    }
}
