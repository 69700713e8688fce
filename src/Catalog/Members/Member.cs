using System.Text.Json.Serialization;
using Marketplace.Catalog.Common;
using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Formatting;

namespace Marketplace.Catalog.Members;

[JsonConverter(typeof(CamelCaseEnumConverter<MemberStatus>))]
public enum MemberStatus
{
    Invited,
    Active,
    Suspended,
}

/// <summary>A micro-entrepreneur (anggota) of one cooperative, who lists her products through it.</summary>
public sealed class Member
{
    private Member()
    {
    }

    /// <summary>The member id her tokens carry; assigned when she accepted the invitation.</summary>
    public Guid Id { get; private set; }

    public Guid CooperativeId { get; private set; }

    public Guid? UserId { get; private set; }

    public string DisplayName { get; private set; } = string.Empty;

    /// <summary>
    /// Her part of her public page's address (<c>/pembuat/siti-aminah</c>): made from her name when she joins and never
    /// changed afterwards, so links shared on WhatsApp keep working when she renames herself.
    /// </summary>
    public string Slug { get; private set; } = string.Empty;

    public string? BusinessName { get; private set; }

    public string? Village { get; private set; }

    public string? Story { get; private set; }

    public string? WhatsApp { get; private set; }

    /// <summary>Content hash of her processed profile photo, if any.</summary>
    public string? PhotoHash { get; private set; }

    public MemberStatus Status { get; private set; }

    public DateTimeOffset JoinedAt { get; private set; }

    /// <summary>First day of her holiday (libur), in her cooperative's calendar; null when she has none planned.</summary>
    public DateOnly? AwayFrom { get; private set; }

    /// <summary>Last day of her holiday (inclusive): her products can be ordered for shipping again the day after.</summary>
    public DateOnly? AwayUntil { get; private set; }

    public long Revision { get; private set; }

    public uint Version { get; private set; }

    public bool IsActive => Status == MemberStatus.Active;

    public static Member Join(Guid memberId, Guid userId, Guid cooperativeId, string displayName, string slug, string? whatsApp, DateTimeOffset joinedAt) => new()
    {
        Id = memberId,
        Slug = MemberSlugs.IsValid(slug) ? slug : throw new ArgumentException($"'{slug}' is not a member slug.", nameof(slug)),
        UserId = userId,
        CooperativeId = cooperativeId,
        DisplayName = Text.Required(displayName, "display_name", 80, 2),
        WhatsApp = WhatsAppNumber.NormalizeOptional(whatsApp),
        Status = MemberStatus.Active,
        JoinedAt = joinedAt,
        Revision = 1,
    };

    /// <summary>
    /// Checks every field of a profile and refuses them all at once (<see cref="ValidationFailedException"/>), each at its
    /// field with its rule's code, rather than one per attempt.
    /// </summary>
    public static void CheckProfile(string? displayName, string? businessName, string? village, string? story, string? whatsApp)
    {
        var errors = new FieldErrors();
        errors.Check("displayName", () => Text.Required(displayName, "display_name", 80, 2));
        errors.Check("businessName", () => Text.Optional(businessName, "business_name", 120));
        errors.Check("village", () => Text.Optional(village, "village", 80));
        errors.Check("story", () => Text.Optional(story, "story", 2000));
        errors.Check("whatsApp", () => WhatsAppNumber.NormalizeOptional(whatsApp));
        errors.ThrowIfAny();
    }

    public void UpdateProfile(string displayName, string? businessName, string? village, string? story, string? whatsApp)
    {
        DisplayName = Text.Required(displayName, "display_name", 80, 2);
        BusinessName = Text.Optional(businessName, "business_name", 120);
        Village = Text.Optional(village, "village", 80);
        Story = Text.Optional(story, "story", 2000);
        WhatsApp = WhatsAppNumber.NormalizeOptional(whatsApp);
        Revision++;
    }

    public void SetPhoto(string hash)
    {
        PhotoHash = hash;
        Revision++;
    }

    public void Suspend()
    {
        if (Status == MemberStatus.Suspended)
        {
            throw new ConflictException("This member is already suspended.", "already_suspended");
        }

        Status = MemberStatus.Suspended;
        Revision++;
    }

    public void Reactivate()
    {
        if (Status != MemberStatus.Suspended)
        {
            throw new ConflictException("Only a suspended member can be reactivated.", "not_suspended");
        }

        Status = MemberStatus.Active;
        Revision++;
    }

    /// <summary>The longest holiday one entry may cover: longer absences are a matter for the cooperative, not a date range.</summary>
    public const int MaxHolidayDays = 90;

    /// <summary>How far ahead a holiday may start: far enough for Ramadan or a harvest, near enough to still be meant.</summary>
    public const int MaxHolidayLeadDays = 365;

    /// <summary>Her holiday as it still matters on <paramref name="today"/>: one already over is none.</summary>
    public (DateOnly From, DateOnly Until)? HolidayAsOf(DateOnly today) =>
        AwayFrom is { } from && AwayUntil is { } until && until >= today ? (from, until) : null;

    /// <summary>
    /// Plans or changes her holiday (both days inclusive, in her cooperative's calendar). Every mistake is refused at
    /// once, at its field. A holiday may not start in the past, except one already under way whose first day she keeps
    /// while she changes its last.
    /// </summary>
    public void SetHoliday(DateOnly? from, DateOnly? until, DateOnly today)
    {
        var errors = new FieldErrors();
        if (from is null)
        {
            errors.Add("awayFrom", "away_from_required", "Give the first day of the holiday.");
        }
        else if (from < today && from != HolidayAsOf(today)?.From)
        {
            errors.Add("awayFrom", "away_from_past", "A holiday starts today at the earliest.");
        }
        else if (from > today.AddDays(MaxHolidayLeadDays))
        {
            errors.Add("awayFrom", "away_from_too_far", $"A holiday starts within {MaxHolidayLeadDays} days.");
        }

        if (until is null)
        {
            errors.Add("awayUntil", "away_until_required", "Give the last day of the holiday.");
        }
        else if (from is not null && until < from)
        {
            errors.Add("awayUntil", "away_until_before_from", "The last day is on or after the first.");
        }
        else if (until < today)
        {
            errors.Add("awayUntil", "away_until_past", "The last day is today or later.");
        }
        else if (from is not null && until.Value.DayNumber - from.Value.DayNumber + 1 > MaxHolidayDays)
        {
            errors.Add("awayUntil", "holiday_too_long", $"A holiday lasts at most {MaxHolidayDays} days.");
        }

        errors.ThrowIfAny();
        if (AwayFrom == from && AwayUntil == until)
        {
            return;
        }

        AwayFrom = from;
        AwayUntil = until;
        Revision++;
    }

    /// <summary>Ends her holiday (or cancels a planned one): her products can be ordered for shipping again at once.</summary>
    public void ClearHoliday()
    {
        if (AwayFrom is null && AwayUntil is null)
        {
            return;
        }

        AwayFrom = null;
        AwayUntil = null;
        Revision++;
    }

    public MemberUpdated ToUpdatedEvent(DateTimeOffset now) =>
        new(Id, CooperativeId, DisplayName, BusinessName ?? string.Empty, Status.ToString().ToLowerInvariant(), Revision, now, AwayFrom, AwayUntil);
}
