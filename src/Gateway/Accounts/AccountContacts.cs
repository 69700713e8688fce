using Marketplace.Contracts.Gateway;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Gateway.Accounts;

/// <summary>
/// Announces how to reach an account and what it is, after any change, through the outbox: saved with the change's own
/// SaveChanges, so the announcement and the change cannot disagree. Ordered by the user id, so the last one published is
/// the last one applied.
/// </summary>
public static class AccountContacts
{
    public static void Changed(IOutbox outbox, MarketplaceUser account, IEnumerable<Guid> administered, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(account);
        outbox.Publish(
            new AccountContactChanged(account.Id, account.DisplayName, account.Email, account.PhoneNumber, account.MemberId, account.MemberCooperativeId,
                [.. administered.Distinct().Order()], now),
            orderingKey: account.Id.ToString());
    }
}
