using Marketplace.Contracts.Gateway;
using Marketplace.Notifications.Deliveries;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Notifications.People;

/// <summary>Where one message to a person goes: the channel, and the number (E.164) or address on it.</summary>
public sealed record Reach(DeliveryChannel Channel, string Address);

/// <summary>
/// An account as Notifications knows it: how to reach her (from the Gateway's <see cref="AccountContactChanged"/>),
/// what she is (a member, the admins of which cooperatives) and what she chose: the language she reads and the channel
/// she wants. Her choices are kept here, where they are used; a contact change never overwrites them.
/// </summary>
public sealed class Person
{
    private Person()
    {
    }

    public Guid UserId { get; private set; }

    public string DisplayName { get; private set; } = string.Empty;

    public string? Email { get; private set; }

    /// <summary>E.164.</summary>
    public string? WhatsApp { get; private set; }

    public Guid? MemberId { get; private set; }

    public Guid? MemberCooperativeId { get; private set; }

    public List<Guid> AdministeredCooperatives { get; private set; } = [];

    /// <summary><c>id</c> or <c>en</c>.</summary>
    public string Language { get; private set; } = "id";

    /// <summary>Her chosen channel; none: WhatsApp when she has a number, else email.</summary>
    public DeliveryChannel? PreferredChannel { get; private set; }

    /// <summary>When she last chose; none: she never did, and an order's messages follow what she chose at its checkout.</summary>
    public DateTimeOffset? ChosenAt { get; private set; }

    /// <summary>When the contact applied was true at the Gateway: an older change arriving late is ignored.</summary>
    public DateTimeOffset? ContactChangedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static Person Known(Guid userId, DateTimeOffset now) => new() { UserId = userId, UpdatedAt = now };

    /// <summary>Applies the Gateway's view of her contact and roles, unless a newer one was applied already.</summary>
    public void Apply(AccountContactChanged changed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(changed);
        if (ContactChangedAt is { } applied && changed.ChangedAt < applied)
        {
            return;
        }

        DisplayName = changed.DisplayName;
        Email = string.IsNullOrWhiteSpace(changed.Email) ? null : changed.Email.Trim();
        WhatsApp = string.IsNullOrWhiteSpace(changed.WhatsApp) ? null : changed.WhatsApp.Trim();
        MemberId = changed.MemberId;
        MemberCooperativeId = changed.MemberCooperativeId;
        AdministeredCooperatives = [.. changed.AdministeredCooperatives.Distinct()];
        ContactChangedAt = changed.ChangedAt;
        UpdatedAt = now;
    }

    /// <summary>She chose her language and, optionally, a channel.</summary>
    public void Choose(string language, DeliveryChannel? channel, DateTimeOffset now)
    {
        Language = language == "en" ? "en" : "id";
        PreferredChannel = channel;
        ChosenAt = now;
        UpdatedAt = now;
    }

    /// <summary>
    /// Where a message to her goes: her chosen channel while she has an address on it, else WhatsApp, else email; none
    /// when she has neither (she is then not told, and the caller says so in its log).
    /// </summary>
    public Reach? Reach()
    {
        if (PreferredChannel == DeliveryChannel.Email && Email is { } preferredEmail)
        {
            return new Reach(DeliveryChannel.Email, preferredEmail);
        }

        if (WhatsApp is { } number)
        {
            return new Reach(DeliveryChannel.WhatsApp, number);
        }

        return Email is { } email ? new Reach(DeliveryChannel.Email, email) : null;
    }
}

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> builder)
    {
        builder.ToTable("people");
        builder.HasKey(p => p.UserId);
        builder.Property(p => p.UserId).ValueGeneratedNever();
        builder.Property(p => p.DisplayName).HasMaxLength(120);
        builder.Property(p => p.Email).HasMaxLength(256);
        builder.Property(p => p.WhatsApp).HasMaxLength(20);
        builder.Property(p => p.Language).HasMaxLength(2);
        builder.Property(p => p.PreferredChannel).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(p => p.MemberId).IsUnique();
        // "Who administers this cooperative" is asked for every admin message: a GIN index answers the array's @>.
        builder.HasIndex(p => p.AdministeredCooperatives).HasMethod("gin");
    }
}
