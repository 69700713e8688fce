using Microsoft.EntityFrameworkCore;

namespace Marketplace.Notifications.People;

/// <summary>The people a message about a member or a cooperative goes to.</summary>
public sealed class Recipients(NotificationsDbContext db)
{
    /// <summary>The account behind a member id; none until the Gateway's news of her has arrived.</summary>
    public Task<Person?> MemberAsync(Guid memberId, CancellationToken cancellationToken) =>
        db.People.AsNoTracking().FirstOrDefaultAsync(p => p.MemberId == memberId, cancellationToken);

    /// <summary>Every admin of the cooperative.</summary>
    public Task<List<Person>> AdminsOfAsync(Guid cooperativeId, CancellationToken cancellationToken) =>
        db.People.AsNoTracking().Where(p => p.AdministeredCooperatives.Contains(cooperativeId)).OrderBy(p => p.UserId).ToListAsync(cancellationToken);
}
