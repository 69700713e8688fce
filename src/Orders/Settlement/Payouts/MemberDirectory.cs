using MassTransit;
using Marketplace.Contracts.Catalog;
using Marketplace.Orders.Settlement.Data;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Orders.Settlement.Payouts;

/// <summary>
/// Catalog's member snapshots: Settlement keeps who belongs to which cooperative, so that only her own cooperative's
/// admins may propose or confirm a member's bank account. Snapshots carry revisions: the newest wins, in any order.
/// </summary>
public sealed class MemberUpdatedConsumer(SettlementDbContext db) : IdempotentConsumer<MemberUpdated, SettlementDbContext>(db)
{
    protected override async Task HandleAsync(MemberUpdated message, ConsumeContext<MemberUpdated> context, CancellationToken cancellationToken)
    {
        var member = await Db.Members.FindAsync([message.MemberId], cancellationToken);
        if (member is null)
        {
            member = new SettlementMember { MemberId = message.MemberId };
            Db.Members.Add(member);
        }
        else if (member.Revision >= message.Revision)
        {
            return;
        }

        member.CooperativeId = message.CooperativeId;
        member.DisplayName = message.DisplayName;
        member.Status = message.Status;
        member.Revision = message.Revision;
    }
}
