using Marketplace.ServiceDefaults.Formatting;
using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Merchants;

/// <summary>
/// Orders' own copy of a cooperative, the merchant of record a basket is paid to. Built from Catalog's
/// messages, so checking out never has to call Catalog.
/// </summary>
public sealed class Merchant
{
    private Merchant()
    {
    }

    public Guid CooperativeId { get; private set; }

    public string Slug { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public bool Active { get; private set; } = true;

    public decimal FeePercent { get; private set; }

    public Dictionary<string, decimal> CategoryFeePercents { get; private set; } = [];

    public string TimeZone { get; private set; } = LocalTime.DefaultZone;

    public List<OpeningHours> KioskOpeningHours { get; private set; } = [];

    /// <summary>
    /// The cooperative's own Stripe account (Connect, direct charges), created for it by onboarding; none: it has not
    /// started. Card payments go to it only while <see cref="TakesCards"/>.
    /// </summary>
    public string? StripeAccountId { get; private set; }

    /// <summary>What Stripe last said of <see cref="StripeAccountId"/>; null until Orders first asked.</summary>
    public StripeAccountState? StripeAccount { get; private set; }

    /// <summary>Card (and e-wallet) payments are offered only while Stripe lets the cooperative's account take them.</summary>
    public bool TakesCards => StripeAccountId is not null && StripeAccount is { ChargesEnabled: true };

    /// <summary>What shipping costs, by destination zone and weight; empty: it does not ship.</summary>
    public List<ShippingRate> ShippingRates { get; private set; } = [];

    /// <summary>The EMVCo payload of the cooperative's static QRIS sticker, shown on the sale screen for a QRIS payment.</summary>
    public string? QrisPayload { get; private set; }

    /// <summary>Unless the cooperative sets another, a till difference above this many rupiah waits for an admin's review.</summary>
    public const long DefaultTillDifferenceReviewRupiah = 10_000;

    /// <summary>A till difference above this many rupiah (either way) waits for an admin's review.</summary>
    public long TillDifferenceReviewRupiah { get; private set; } = DefaultTillDifferenceReviewRupiah;

    /// <summary>Unless the cooperative sets others, the bounds on what pay-at-kiosk orders may hold (see <see cref="KioskHoldSettings"/>).</summary>
    public static readonly KioskHoldSettings DefaultKioskHolds = new(PickupDaysAhead: 3, MaxOpenPerPhone: 3, MaxOpenPerClient: 10, MaxSharePercent: 50);

    /// <summary>
    /// How far ahead a pay-at-kiosk order may be picked up, how many unpaid orders one WhatsApp number or one client
    /// address may have open, and what share of a size's stock on hand one order may hold: stock held for nobody who
    /// comes is stock nobody else can buy.
    /// </summary>
    public KioskHoldSettings KioskHolds { get; private set; } = DefaultKioskHolds;

    public void SetKioskHolds(KioskHoldSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new Marketplace.ServiceDefaults.Errors.FieldErrors();
        if (settings.PickupDaysAhead is < 0 or > 30)
        {
            errors.Add("pickupDaysAhead", "invalid_days", "Pickup is today or up to 30 days ahead.");
        }

        if (settings.MaxOpenPerPhone is < 1 or > 100)
        {
            errors.Add("maxOpenPerPhone", "invalid_count", "Between 1 and 100 open unpaid orders per WhatsApp number.");
        }

        if (settings.MaxOpenPerClient is < 1 or > 1000)
        {
            errors.Add("maxOpenPerClient", "invalid_count", "Between 1 and 1000 open unpaid orders per client address.");
        }

        if (settings.MaxSharePercent is < 1 or > 100)
        {
            errors.Add("maxSharePercent", "invalid_percent", "A share of 1 to 100 percent.");
        }

        errors.ThrowIfAny();
        KioskHolds = settings;
    }

    /// <summary>The cooperative's address as its receipts print it (the merchant of record's); null until an admin sets it.</summary>
    public string? Address { get; private set; }

    /// <summary>The cooperative's NPWP, digits only (15 or 16); null when it has none or has not set it.</summary>
    public string? Npwp { get; private set; }

    /// <summary>
    /// What a receipt says of the merchant of record besides its name. Both are optional (a young cooperative may not
    /// have its NPWP yet), but an NPWP that is set must be a real one's length.
    /// </summary>
    public void SetReceiptDetails(string? address, string? npwp)
    {
        var errors = new Marketplace.ServiceDefaults.Errors.FieldErrors();
        var trimmed = string.IsNullOrWhiteSpace(address) ? null : address.Trim();
        if (trimmed is { Length: > 300 })
        {
            errors.Add("address", "address_too_long", "The address is at most 300 characters.");
        }

        var digits = Merchants.Npwp.Normalize(npwp, "npwp", errors);
        errors.ThrowIfAny();
        Address = trimmed;
        Npwp = digits;
    }

    /// <summary>Catalog's revision of the cooperative this copy reflects; older updates are ignored.</summary>
    public long Revision { get; private set; }

    public DateTimeOffset RegisteredAt { get; private set; }

    public static Merchant Register(CooperativeRegistered registered)
    {
        ArgumentNullException.ThrowIfNull(registered);
        return new Merchant
        {
            CooperativeId = registered.CooperativeId,
            Slug = registered.Slug,
            Name = registered.Name,
            FeePercent = registered.FeePercent,
            RegisteredAt = registered.RegisteredAt,
            Revision = 1,
        };
    }

    public static Merchant From(CooperativeUpdated updated)
    {
        ArgumentNullException.ThrowIfNull(updated);
        var merchant = new Merchant { CooperativeId = updated.CooperativeId, RegisteredAt = updated.UpdatedAt };
        merchant.Apply(updated);
        return merchant;
    }

    /// <summary>
    /// The account Stripe created for this cooperative. One cooperative has one account, ever: a second would split its
    /// payments and its payouts, so another id is refused.
    /// </summary>
    public void AttachStripeAccount(string accountId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        if (StripeAccountId is not null && StripeAccountId != accountId)
        {
            throw new Marketplace.ServiceDefaults.Errors.ConflictException("This cooperative already has its Stripe account.", "stripe_account_exists");
        }

        StripeAccountId = accountId;
    }

    /// <summary>
    /// Records what Stripe says of the cooperative's account (never of another account), unless what is recorded
    /// answers a question asked later: answers to overlapping questions come back in any order, and the latest
    /// question's stands. False when this one was older and nothing changed.
    /// </summary>
    public bool RecordStripeAccount(string accountId, StripeAccountState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (accountId != StripeAccountId)
        {
            throw new InvalidOperationException($"Account {accountId} is not cooperative {CooperativeId}'s.");
        }

        if (StripeAccount is { } recorded && recorded.CheckedAt > state.CheckedAt)
        {
            return false;
        }

        StripeAccount = state;
        return true;
    }

    /// <summary>The payload read from the cooperative's QRIS sticker; refused unless it is a well-formed QRIS (see <see cref="Qris"/>).</summary>
    public void SetQris(string payload) => QrisPayload = Qris.Validate(payload);

    public void SetTillDifferenceReview(long rupiah)
    {
        if (rupiah is < 0 or > 100_000_000)
        {
            throw new Marketplace.ServiceDefaults.Errors.ValidationFailedException(
                [new Marketplace.ServiceDefaults.Errors.FieldError("differenceReviewRupiah", "invalid_amount", "The threshold is 0 rupiah or more.")]);
        }

        TillDifferenceReviewRupiah = rupiah;
    }

    public void SetShippingRates(IReadOnlyList<ShippingRate> rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        foreach (var rate in rates)
        {
            if (rate is null || string.IsNullOrWhiteSpace(rate.Zone) || rate.UpToGrams <= 0 || rate.PriceRupiah < 0)
            {
                throw new Marketplace.ServiceDefaults.Errors.DomainException("Each rate needs a zone, a positive weight limit in grams and a price of at least 0.", "invalid_shipping_rate");
            }
        }

        ShippingRates = rates.Select(r => r with { Zone = r.Zone.Trim().ToLowerInvariant() }).ToList();
    }

    /// <summary>The cooperative's fee on a product of this category: its own percentage if set, else the default.</summary>
    public decimal FeePercentFor(string category) =>
        CategoryFeePercents.TryGetValue(category, out var percent) ? percent : FeePercent;

    /// <summary>
    /// The cheapest rate to this province that carries this weight: the cooperative's rate for the province itself if it
    /// has one, else its rate for the province's zone; null when it does not ship there.
    /// </summary>
    public ShippingRate? RateFor(Province province, int grams)
    {
        ArgumentNullException.ThrowIfNull(province);
        return RateFor(province.Slug, grams) ?? RateFor(province.Zone.Code, grams);
    }

    /// <summary>The cheapest rate to this zone that carries this weight; null when the cooperative does not ship there.</summary>
    public ShippingRate? RateFor(string zone, int grams) => ShippingRates
        .Where(r => string.Equals(r.Zone, zone.Trim(), StringComparison.OrdinalIgnoreCase) && r.UpToGrams >= grams)
        .OrderBy(r => r.PriceRupiah)
        .FirstOrDefault();

    /// <summary>Applies an update unless this copy already reflects a newer one.</summary>
    public bool Apply(CooperativeUpdated updated)
    {
        ArgumentNullException.ThrowIfNull(updated);
        if (updated.Revision <= Revision)
        {
            return false;
        }

        Slug = updated.Slug;
        Name = updated.Name;
        Active = updated.Active;
        FeePercent = updated.FeePolicy.DefaultPercent;
        CategoryFeePercents = new Dictionary<string, decimal>(updated.FeePolicy.CategoryPercents);
        TimeZone = updated.TimeZone;
        KioskOpeningHours = updated.KioskOpeningHours.ToList();
        Revision = updated.Revision;
        return true;
    }
}

internal sealed class MerchantConfiguration : IEntityTypeConfiguration<Merchant>
{
    public void Configure(EntityTypeBuilder<Merchant> builder)
    {
        builder.HasKey(m => m.CooperativeId);
        builder.Property(m => m.CooperativeId).ValueGeneratedNever();
        builder.Property(m => m.Slug).HasMaxLength(60);
        builder.Property(m => m.Name).HasMaxLength(120);
        builder.Property(m => m.TimeZone).HasMaxLength(60);
        builder.Property(m => m.FeePercent).HasPrecision(5, 2);
        builder.Property(m => m.CategoryFeePercents).HasJsonConversion();
        builder.Property(m => m.KioskOpeningHours).HasJsonConversion();
        builder.Property(m => m.StripeAccountId).HasMaxLength(64);
        builder.HasIndex(m => m.StripeAccountId).IsUnique();
        builder.Property(m => m.StripeAccount).HasJsonValueConversion();
        builder.Property(m => m.ShippingRates).HasJsonConversion();
        builder.Property(m => m.QrisPayload).HasMaxLength(512);
        builder.Property(m => m.Address).HasMaxLength(300);
        builder.Property(m => m.Npwp).HasMaxLength(16);
        builder.Property(m => m.TillDifferenceReviewRupiah).HasDefaultValue(Merchant.DefaultTillDifferenceReviewRupiah);
        builder.ComplexProperty(m => m.KioskHolds, holds =>
        {
            holds.Property(h => h.PickupDaysAhead).HasColumnName("kiosk_pickup_days_ahead").HasDefaultValue(Merchant.DefaultKioskHolds.PickupDaysAhead);
            holds.Property(h => h.MaxOpenPerPhone).HasColumnName("kiosk_max_open_per_phone").HasDefaultValue(Merchant.DefaultKioskHolds.MaxOpenPerPhone);
            holds.Property(h => h.MaxOpenPerClient).HasColumnName("kiosk_max_open_per_client").HasDefaultValue(Merchant.DefaultKioskHolds.MaxOpenPerClient);
            holds.Property(h => h.MaxSharePercent).HasColumnName("kiosk_max_share_percent").HasDefaultValue(Merchant.DefaultKioskHolds.MaxSharePercent);
        });
    }
}

/// <summary>
/// A cooperative's Stripe account as Stripe last described it (<c>GET /v1/accounts/{id}</c>): whether it may take
/// payments, whether Stripe pays out to its bank, whether onboarding was submitted, what Stripe still needs
/// (<c>requirements.currently_due</c>, Stripe's keys), and when Orders asked.
/// </summary>
/// <remarks>
/// <see cref="Capabilities"/> is each capability's status (<c>card_payments</c>: <c>active</c>...), every one Stripe
/// reported; null in a state recorded before Orders kept them.
/// </remarks>
public sealed record StripeAccountState(
    bool ChargesEnabled, bool PayoutsEnabled, bool DetailsSubmitted, IReadOnlyList<string> CurrentlyDue, string? DisabledReason, DateTimeOffset CheckedAt,
    IReadOnlyDictionary<string, string>? Capabilities = null);

/// <summary>One line of a cooperative's shipping table: to <see cref="Zone"/>, up to <see cref="UpToGrams"/>, for this price.</summary>
public sealed record ShippingRate(string Zone, int UpToGrams, long PriceRupiah);

/// <summary>The bounds on pay-at-kiosk holds a cooperative sets (see <see cref="Merchant.KioskHolds"/>).</summary>
public sealed record KioskHoldSettings(int PickupDaysAhead, int MaxOpenPerPhone, int MaxOpenPerClient, int MaxSharePercent);
