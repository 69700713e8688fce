using Marketplace.Catalog.Common;
using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Formatting;

namespace Marketplace.Catalog.Members;

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

    public string? BusinessName { get; private set; }

    public string? Village { get; private set; }

    public string? Story { get; private set; }

    public string? WhatsApp { get; private set; }

    /// <summary>Content hash of her processed profile photo, if any.</summary>
    public string? PhotoHash { get; private set; }

    public MemberStatus Status { get; private set; }

    public DateTimeOffset JoinedAt { get; private set; }

    public long Revision { get; private set; }

    public uint Version { get; private set; }

    public bool IsActive => Status == MemberStatus.Active;

    public static Member Join(Guid memberId, Guid userId, Guid cooperativeId, string displayName, string? whatsApp, DateTimeOffset joinedAt) => new()
    {
        Id = memberId,
        UserId = userId,
        CooperativeId = cooperativeId,
        DisplayName = Text.Required(displayName, "display_name", 80, 2),
        WhatsApp = WhatsAppNumber.NormalizeOptional(whatsApp),
        Status = MemberStatus.Active,
        JoinedAt = joinedAt,
        Revision = 1,
    };

    /// <summary>
    /// Every rule a profile breaks, by field (the request's names), each with a sentence: a form shows them all at once
    /// rather than one per attempt.
    /// </summary>
    public static Dictionary<string, string> ProfileErrors(string? displayName, string? businessName, string? village, string? story, string? whatsApp)
    {
        var errors = new Dictionary<string, string>();
        void Check(string field, string? value, int max, int min)
        {
            var length = (value ?? string.Empty).Trim().Length;
            if ((min > 0 || length > 0) && (length < min || length > max))
            {
                errors[field] = min > 0 ? $"{min} to {max} characters." : $"At most {max} characters.";
            }
        }

        Check("displayName", displayName, 80, 2);
        Check("businessName", businessName, 120, 0);
        Check("village", village, 80, 0);
        Check("story", story, 2000, 0);
        try
        {
            WhatsAppNumber.NormalizeOptional(whatsApp);
        }
        catch (DomainException e)
        {
            errors["whatsApp"] = e.Message;
        }

        return errors;
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

    public MemberUpdated ToUpdatedEvent(DateTimeOffset now) =>
        new(Id, CooperativeId, DisplayName, BusinessName ?? string.Empty, Status.ToString().ToLowerInvariant(), Revision, now);
}
