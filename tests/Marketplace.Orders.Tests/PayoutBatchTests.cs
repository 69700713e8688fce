using Marketplace.Orders.Settlement.Ledger;
using Marketplace.Orders.Settlement.Payouts;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Orders.Tests;

/// <summary>Who a payout pays and how much, and the four-eyes steps of a batch.</summary>
public sealed class PayoutBatchTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly Guid Preparer = Guid.NewGuid();

    [Fact]
    public void Savings_due_come_first_and_a_member_left_under_the_minimum_waits_savings_and_all()
    {
        var (siti, ani, wati, dewi) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        var payable = PayoutRules.Payable([(siti, 67_500), (ani, 14_000), (wati, 4_000), (dewi, -12_000)], minimumRupiah: 10_000, savingsDueRupiah: 5_000);

        var only = Assert.Single(payable);
        Assert.Equal(new PayableBalance(siti, 67_500, 5_000), only);
        Assert.Equal(62_500, only.NetRupiah);
    }

    [Fact]
    public void Savings_never_take_more_than_she_has_and_nothing_is_paid_when_nothing_is_left()
    {
        var siti = Guid.NewGuid();

        Assert.Empty(PayoutRules.Payable([(siti, 4_000)], minimumRupiah: 0, savingsDueRupiah: 5_000));
        Assert.Equal(0, Assert.Single(PayoutRules.Payable([(siti, 4_000)], minimumRupiah: 0, savingsDueRupiah: 0)).SavingsRupiah);
    }

    [Fact]
    public void A_negative_minimum_or_savings_due_is_refused()
    {
        Assert.Equal("invalid_minimum", Assert.Throws<DomainException>(() => PayoutRules.Payable([], -1, 0)).Code);
        Assert.Equal("invalid_minimum", Assert.Throws<DomainException>(() => PayoutRules.Payable([], 0, -1)).Code);
    }

    [Fact]
    public void A_cut_off_in_the_future_is_refused()
    {
        var refused = Assert.Throws<DomainException>(() => PayoutBatch.Prepare(Guid.NewGuid(), Now.AddMinutes(1), 0, Preparer, Now));

        Assert.Equal("invalid_cut_off", refused.Code);
    }

    [Fact]
    public void A_member_without_an_account_is_paid_in_cash_and_one_whose_account_waits_for_confirmation_waits_too()
    {
        var batch = PayoutBatch.Prepare(Guid.NewGuid(), null, 0, Preparer, Now);
        var (siti, ani) = (Guid.NewGuid(), Guid.NewGuid());

        var cash = batch.Include(new PayableBalance(siti, 50_000, 0), account: null, accountChangePending: false);
        var waiting = batch.Include(new PayableBalance(ani, 30_000, 5_000), account: null, accountChangePending: true);

        Assert.Equal(PayoutMethod.Cash, cash!.Method);
        Assert.Null(waiting);
        var waits = Assert.Single(batch.Waiting);
        Assert.Equal((ani, 30_000L, PayoutWaiting.AccountUnconfirmed), (waits.MemberId, waits.AvailableRupiah, waits.Reason));
        Assert.Equal(50_000, batch.TotalRupiah);
        Assert.Throws<InvalidOperationException>(() => batch.Include(new PayableBalance(siti, 1_000, 0), null, false));
    }

    [Fact]
    public void A_batch_is_approved_by_another_admin_then_paid_line_by_line()
    {
        var batch = PayoutBatch.Prepare(Guid.NewGuid(), null, 0, Preparer, Now);
        var (siti, ani) = (Guid.NewGuid(), Guid.NewGuid());
        batch.Include(new PayableBalance(siti, 50_000, 0), null, false);
        batch.Include(new PayableBalance(ani, 20_000, 0), null, false);

        Assert.Equal("illegal_transition", Assert.Throws<ConflictException>(() => batch.Settle(siti, true, "TRF-1", Now)).Code);
        Assert.Equal("same_admin", Assert.Throws<ConflictException>(() => batch.Approve(Preparer, Now)).Code);
        batch.Approve(Guid.NewGuid(), Now);
        var paid = batch.Settle(siti, true, " TRF-1 ", Now);
        Assert.Equal(PayoutBatchStatus.Approved, batch.Status);
        var failed = batch.Settle(ani, false, "rekening ditutup", Now);

        Assert.Equal((PayoutLineStatus.Paid, "TRF-1"), (paid.Status, paid.Reference));
        Assert.Equal(PayoutLineStatus.Failed, failed.Status);
        Assert.Equal(PayoutBatchStatus.Paid, batch.Status);
        Assert.Equal("illegal_transition", Assert.Throws<ConflictException>(() => batch.Settle(siti, true, "TRF-2", Now)).Code);
    }

    [Fact]
    public void A_failed_transfer_goes_back_to_her_available_balance_and_a_paid_one_leaves_the_bank()
    {
        var batch = PayoutBatch.Prepare(Guid.NewGuid(), null, 0, Preparer, Now);
        var (siti, ani) = (Guid.NewGuid(), Guid.NewGuid());
        var sitiPays = new PayableBalance(siti, 50_000, 5_000);
        batch.Include(sitiPays, null, false);
        batch.Include(new PayableBalance(ani, 20_000, 0), null, false);
        var reserve = PayoutPostings.Reserve(batch, sitiPays, Now);
        batch.Approve(Guid.NewGuid(), Now);

        var paid = PayoutPostings.Settled(batch, batch.Settle(siti, true, "TRF-1", Now), Now);
        var failed = PayoutPostings.Settled(batch, batch.Settle(ani, false, "rekening ditutup", Now), Now);

        Assert.Equal([(Accounts.MemberAvailable, 50_000L), (Accounts.MemberInPayout, -45_000L), (Accounts.MemberSavings, -5_000L)],
            reserve.Lines.Select(l => (l.Account, l.AmountRupiah)));
        Assert.Equal(-45_000, paid.Lines.Single(l => l.Account == Accounts.Bank).AmountRupiah);
        Assert.Equal(-20_000, failed.Lines.Single(l => l.Account == Accounts.MemberAvailable).AmountRupiah);
    }
}
