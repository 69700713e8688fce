using Marketplace.Contracts.Catalog;
using Marketplace.Orders.Merchants;

namespace Marketplace.Orders.Tests;

public sealed class StripeAccountStateTests
{
    private static readonly DateTimeOffset Asked = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_answer_to_an_earlier_question_that_comes_back_last_does_not_replace_the_later_answer()
    {
        // Stripe withdrew card payments; two account.updated asked side by side, the one asked first answered last.
        var merchant = WithAccount("acct_binor");
        var later = State(chargesEnabled: false, Asked.AddMilliseconds(40));
        var earlier = State(chargesEnabled: true, Asked);

        Assert.True(merchant.RecordStripeAccount("acct_binor", later));
        Assert.False(merchant.RecordStripeAccount("acct_binor", earlier));

        Assert.Same(later, merchant.StripeAccount);
        Assert.False(merchant.TakesCards);
    }

    [Fact]
    public void A_later_answer_replaces_the_recorded_one()
    {
        var merchant = WithAccount("acct_binor");
        Assert.True(merchant.RecordStripeAccount("acct_binor", State(chargesEnabled: false, Asked)));

        var later = State(chargesEnabled: true, Asked.AddSeconds(1));
        Assert.True(merchant.RecordStripeAccount("acct_binor", later));

        Assert.Same(later, merchant.StripeAccount);
    }

    [Fact]
    public void Another_accounts_answer_is_refused()
    {
        var merchant = WithAccount("acct_binor");

        Assert.Throws<InvalidOperationException>(() => merchant.RecordStripeAccount("acct_other", State(chargesEnabled: true, Asked)));
        Assert.Null(merchant.StripeAccount);
    }

    private static Merchant WithAccount(string accountId)
    {
        var merchant = Merchant.Register(new CooperativeRegistered(Guid.NewGuid(), "binor", "Koperasi Wanita Pantai Binor", 10, Asked.AddDays(-30)));
        merchant.AttachStripeAccount(accountId);
        return merchant;
    }

    private static StripeAccountState State(bool chargesEnabled, DateTimeOffset checkedAt) =>
        new(chargesEnabled, PayoutsEnabled: chargesEnabled, DetailsSubmitted: true, CurrentlyDue: [], DisabledReason: null, checkedAt,
            new Dictionary<string, string> { ["card_payments"] = chargesEnabled ? "active" : "inactive" });
}
