using MassTransit;
using Marketplace.Contracts.Gateway;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Notifications.People;

/// <summary>Keeps Notifications' copy of an account's contact and roles; her own choices stay as she set them.</summary>
public sealed class AccountContactChangedConsumer(NotificationsDbContext db, TimeProvider clock)
    : IdempotentConsumer<AccountContactChanged, NotificationsDbContext>(db)
{
    protected override async Task HandleAsync(AccountContactChanged message, ConsumeContext<AccountContactChanged> context, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var person = await Db.People.FindAsync([message.UserId], cancellationToken);
        if (person is null)
        {
            person = Person.Known(message.UserId, now);
            Db.People.Add(person);
        }

        person.Apply(message, now);
    }
}
