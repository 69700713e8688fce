using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Data;
using Marketplace.ServiceDefaults.Formatting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Notifications.Cooperatives;

/// <summary>
/// What Notifications knows of a cooperative from Catalog's messages: its name (messages say whose kiosk), the time
/// zone its times are told in, and where and when its kiosk is open (a shopper told to come is told where and when).
/// Its own copy, so sending never waits on another service.
/// </summary>
public sealed class KnownCooperative
{
    private KnownCooperative()
    {
    }

    public Guid CooperativeId { get; private set; }

    public string Name { get; private set; } = string.Empty;

    /// <summary>An IANA id; a cooperative starts in the default zone, as Catalog registers it.</summary>
    public string TimeZone { get; private set; } = LocalTime.DefaultZone;

    /// <summary>Where the kiosk is, in the cooperative's words; null until it says.</summary>
    public string? KioskLocation { get; private set; }

    /// <summary>The kiosk's hours per day of the week, in <see cref="TimeZone"/>; a day not listed is closed.</summary>
    public List<OpeningHours> KioskOpeningHours { get; private set; } = [];

    /// <summary>The revision of the last <see cref="CooperativeUpdated"/> applied; 0 before any.</summary>
    public long Revision { get; private set; }

    public static KnownCooperative Registered(CooperativeRegistered registered)
    {
        ArgumentNullException.ThrowIfNull(registered);
        return new KnownCooperative { CooperativeId = registered.CooperativeId, Name = registered.Name };
    }

    /// <summary>An update carries the whole state, so it can stand in for a registration not seen yet.</summary>
    public static KnownCooperative From(CooperativeUpdated updated)
    {
        ArgumentNullException.ThrowIfNull(updated);
        var cooperative = new KnownCooperative { CooperativeId = updated.CooperativeId };
        cooperative.Apply(updated);
        return cooperative;
    }

    /// <summary>The newest revision wins, in whatever order the updates arrive.</summary>
    public void Apply(CooperativeUpdated updated)
    {
        ArgumentNullException.ThrowIfNull(updated);
        if (updated.Revision <= Revision)
        {
            return;
        }

        Name = updated.Name;
        TimeZone = string.IsNullOrWhiteSpace(updated.TimeZone) ? LocalTime.DefaultZone : updated.TimeZone;
        // On one line: WhatsApp refuses a template parameter with a line break, a tab or a run of spaces.
        KioskLocation = string.IsNullOrWhiteSpace(updated.KioskLocation) ? null : string.Join(' ', updated.KioskLocation.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        KioskOpeningHours = [.. updated.KioskOpeningHours ?? []];
        Revision = updated.Revision;
    }
}

internal sealed class KnownCooperativeConfiguration : IEntityTypeConfiguration<KnownCooperative>
{
    public void Configure(EntityTypeBuilder<KnownCooperative> builder)
    {
        builder.ToTable("cooperatives");
        builder.HasKey(c => c.CooperativeId);
        builder.Property(c => c.CooperativeId).ValueGeneratedNever();
        builder.Property(c => c.Name).HasMaxLength(120);
        builder.Property(c => c.TimeZone).HasMaxLength(64);
        builder.Property(c => c.KioskLocation).HasMaxLength(300);
        builder.Property(c => c.KioskOpeningHours).HasJsonConversion();
    }
}
