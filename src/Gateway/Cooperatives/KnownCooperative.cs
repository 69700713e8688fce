using MassTransit;
using Marketplace.Contracts.Catalog;
using Marketplace.Gateway.Data;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Gateway.Cooperatives;

/// <summary>
/// The Gateway's copy of Catalog's cooperatives: enough to refuse an invitation to a cooperative that does not
/// exist or is suspended, and to tell an invitee whom she is joining.
/// </summary>
public sealed class KnownCooperative
{
    private KnownCooperative()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public bool Active { get; private set; }

    public long Revision { get; private set; }

    public static KnownCooperative From(Guid id, string name, bool active, long revision) =>
        new() { Id = id, Name = name, Active = active, Revision = revision };

    /// <summary>Applies a newer state; an older or repeated one changes nothing.</summary>
    public void Apply(CooperativeUpdated updated)
    {
        if (updated.Revision <= Revision)
        {
            return;
        }

        Name = updated.Name;
        Active = updated.Active;
        Revision = updated.Revision;
    }
}

internal sealed class KnownCooperativeConfiguration : IEntityTypeConfiguration<KnownCooperative>
{
    public void Configure(EntityTypeBuilder<KnownCooperative> builder)
    {
        builder.ToTable("cooperatives");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Name).HasMaxLength(200);
    }
}

public sealed class CooperativeRegisteredConsumer(GatewayDbContext db)
    : IdempotentConsumer<CooperativeRegistered, GatewayDbContext>(db)
{
    protected override async Task HandleAsync(CooperativeRegistered message, ConsumeContext<CooperativeRegistered> context, CancellationToken cancellationToken)
    {
        if (await Db.Cooperatives.FindAsync([message.CooperativeId], cancellationToken) is null)
        {
            Db.Cooperatives.Add(KnownCooperative.From(message.CooperativeId, message.Name, active: true, revision: 0));
        }
    }
}

public sealed class CooperativeUpdatedConsumer(GatewayDbContext db)
    : IdempotentConsumer<CooperativeUpdated, GatewayDbContext>(db)
{
    protected override async Task HandleAsync(CooperativeUpdated message, ConsumeContext<CooperativeUpdated> context, CancellationToken cancellationToken)
    {
        var cooperative = await Db.Cooperatives.FindAsync([message.CooperativeId], cancellationToken);
        if (cooperative is null)
        {
            Db.Cooperatives.Add(KnownCooperative.From(message.CooperativeId, message.Name, message.Active, message.Revision));
        }
        else
        {
            cooperative.Apply(message);
        }
    }
}
