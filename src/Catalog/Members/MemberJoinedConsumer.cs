using MassTransit;
using Marketplace.Catalog.Data;
using Marketplace.Contracts.Gateway;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Catalog.Members;

/// <summary>The Gateway's invitation flow tells Catalog who joined which cooperative.</summary>
public sealed class MemberJoinedConsumer(CatalogDbContext db, IOutbox outbox, TimeProvider clock)
    : IdempotentConsumer<MemberJoined, CatalogDbContext>(db)
{
    protected override async Task HandleAsync(MemberJoined message, ConsumeContext<MemberJoined> context, CancellationToken cancellationToken)
    {
        if (await Db.Members.FindAsync([message.MemberId], cancellationToken) is not null)
        {
            return;
        }

        var slug = await MemberSlugs.FreeAsync(Db, message.DisplayName, cancellationToken);
        var member = Member.Join(message.MemberId, message.UserId, message.CooperativeId, message.DisplayName, slug, message.WhatsApp, message.JoinedAt);
        Db.Members.Add(member);
        outbox.Publish(member.ToUpdatedEvent(clock.GetUtcNow()), orderingKey: member.Id.ToString());
    }
}
