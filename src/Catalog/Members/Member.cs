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

    public MemberUpdated ToUpdatedEvent(DateTimeOffset now) =>
        new(Id, CooperativeId, DisplayName, BusinessName ?? string.Empty, Status.ToString().ToLowerInvariant(), Revision, now);
}
