using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Marketplace.Catalog.Common;
using Marketplace.Catalog.Products;
using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Formatting;

namespace Marketplace.Catalog.Cooperatives;

[JsonConverter(typeof(CamelCaseEnumConverter<CooperativeStatus>))]
public enum CooperativeStatus
{
    Active,
    Suspended,
}

/// <summary>A women's cooperative: the merchant of record for its members' products.</summary>
public sealed partial class Cooperative
{
    /// <summary>Pantai Binor is in East Java: Western Indonesia Time.</summary>
    public const string DefaultTimeZone = LocalTime.DefaultZone;

    private Cooperative()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The cooperative's part of public URLs, e.g. <c>koperasi-binor-sejahtera</c>.</summary>
    public string Slug { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public string? Story { get; private set; }

    public string? KioskLocation { get; private set; }

    public string? WhatsApp { get; private set; }

    public string TimeZone { get; private set; } = DefaultTimeZone;

    public List<OpeningHours> KioskOpeningHours { get; private set; } = [];

    /// <summary>The cooperative's default commission on each sale line, in percent (0 to 100, two decimals).</summary>
    public decimal FeePercent { get; private set; }

    /// <summary>Per-category commissions that override <see cref="FeePercent"/>.</summary>
    public Dictionary<string, decimal> CategoryFeePercents { get; private set; } = [];

    public CooperativeStatus Status { get; private set; }

    /// <summary>Batches that expire within this many days are listed for their member and the admins to act on.</summary>
    public int ExpiryWarningDays { get; private set; } = DefaultExpiryWarningDays;

    public const int DefaultExpiryWarningDays = 14;

    public DateTimeOffset RegisteredAt { get; private set; }

    /// <summary>Grows with every change, so consumers of <see cref="CooperativeUpdated"/> keep the newest.</summary>
    public long Revision { get; private set; }

    /// <summary>PostgreSQL's row version, for optimistic concurrency.</summary>
    public uint Version { get; private set; }

    public bool IsActive => Status == CooperativeStatus.Active;

    public static Cooperative Register(string slug, string name, decimal feePercent, DateTimeOffset now)
    {
        slug = (slug ?? string.Empty).Trim().ToLowerInvariant();
        var errors = new FieldErrors();
        if (!SlugPattern().IsMatch(slug))
        {
            errors.Add("slug", "invalid_slug", "The slug must be 3 to 60 lowercase letters, digits or single hyphens.");
        }

        var cooperative = new Cooperative
        {
            Id = Guid.CreateVersion7(now),
            Slug = slug,
            Status = CooperativeStatus.Active,
            RegisteredAt = now,
            Revision = 1,
        };
        // Every mistake at once, each at its field: a name, the short address and the fee.
        errors.Check("name", () => cooperative.Rename(name));
        errors.Check("feePercent", () => cooperative.SetFeePolicy(feePercent, new Dictionary<string, decimal>()));
        errors.ThrowIfAny();
        return cooperative;
    }

    public void Rename(string name)
    {
        name = (name ?? string.Empty).Trim();
        if (name.Length is < 3 or > 120)
        {
            throw new DomainException("The name must be 3 to 120 characters long.", "invalid_name");
        }

        Name = name;
        Revision++;
    }

    public void UpdateProfile(string? story, string? kioskLocation, string? whatsApp, IReadOnlyList<OpeningHours> openingHours)
    {
        ArgumentNullException.ThrowIfNull(openingHours);
        Story = Text.Optional(story, "story", 4000);
        KioskLocation = Text.Optional(kioskLocation, "kiosk_location", 300);
        WhatsApp = WhatsAppNumber.NormalizeOptional(whatsApp);
        if (openingHours.Any(h => h.Closes <= h.Opens))
        {
            throw new DomainException("Each day's kiosk hours must close after they open.", "invalid_opening_hours");
        }

        if (openingHours.GroupBy(h => h.Day).Any(g => g.Count() > 1))
        {
            throw new DomainException("Give each day of the week at most one opening period.", "invalid_opening_hours");
        }

        KioskOpeningHours = openingHours.OrderBy(h => h.Day).ToList();
        Revision++;
    }

    public void SetFeePolicy(decimal defaultPercent, IReadOnlyDictionary<string, decimal> categoryPercents)
    {
        ArgumentNullException.ThrowIfNull(categoryPercents);
        CheckPercent(defaultPercent);
        foreach (var (category, percent) in categoryPercents)
        {
            if (!ProductCategories.IsKnown(category))
            {
                throw new DomainException($"Unknown category '{category}'.", "invalid_category");
            }

            CheckPercent(percent);
        }

        FeePercent = defaultPercent;
        CategoryFeePercents = new Dictionary<string, decimal>(categoryPercents);
        Revision++;
    }

    public void SetExpiryWarningDays(int days)
    {
        if (days is < 0 or > 365)
        {
            throw new DomainException("Expiry warnings are 0 to 365 days ahead.", "invalid_expiry_warning_days");
        }

        ExpiryWarningDays = days;
    }

    public void Suspend()
    {
        Status = CooperativeStatus.Suspended;
        Revision++;
    }

    public void Reactivate()
    {
        Status = CooperativeStatus.Active;
        Revision++;
    }

    public CooperativeUpdated ToUpdatedEvent(DateTimeOffset now) => new(
        Id,
        Slug,
        Name,
        IsActive,
        new FeePolicy(FeePercent, CategoryFeePercents),
        TimeZone,
        KioskOpeningHours,
        Revision,
        now,
        KioskLocation);

    private static void CheckPercent(decimal percent)
    {
        if (percent is < 0 or > 100 || decimal.Round(percent, 2) != percent)
        {
            throw new DomainException("The fee is a percentage from 0 to 100 with at most two decimals.", "invalid_fee");
        }
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,59}$")]
    private static partial Regex SlugPattern();
}
