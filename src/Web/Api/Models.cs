namespace Marketplace.Web.Api;

// The shapes of the services' answers that Web shows. Web keeps no data of its own: these live for one page.

public sealed record OpeningHours(DayOfWeek Day, TimeOnly Opens, TimeOnly Closes);

public sealed record Cooperative(
    Guid Id, string Slug, string Name, string? Story, string? KioskLocation, string? WhatsApp, string TimeZone,
    IReadOnlyList<OpeningHours> KioskOpeningHours, decimal FeePercent, IReadOnlyDictionary<string, decimal> CategoryFeePercents, CooperativeStatus Status);

public sealed record ProductSummary(
    Guid Id, Guid CooperativeId, Guid MemberId, string NameId, string? NameEn, string Category, string MakerName, long PriceFromRupiah,
    bool InStock, bool HalalCertified, bool IsFood, string? ImageUrl, string? ImageUrlLarge, DateOnly? MakerAwayFrom = null, DateOnly? MakerAwayUntil = null,
    Rating? Rating = null);

public sealed record ProductPage(IReadOnlyList<ProductSummary> Items, int Total, bool TotalIsLowerBound, int Page, int PageSize);

public sealed record Listing(
    string NameId, string? NameEn, string DescriptionId, string? DescriptionEn, string? PackagingType, string? NetContent, int? ShelfLifeDays,
    string? Ingredients, string? Allergens, string? StorageNote, string? PirtNumber, DateOnly? PirtValidUntil, string? BpomNumber,
    string? HalalCertificateNumber, DateOnly? HalalValidUntil);

public sealed record Variant(Guid Id, string Sku, string Label, long PriceRupiah, int WeightGrams, int Available, bool Active, int OnHand = 0, int Reserved = 0,
    int? LowStockThreshold = null, bool LowStock = false);

public sealed record ProductImage(Guid Id, ImageStatus Status, IReadOnlyDictionary<string, string> Urls, int? Width, int? Height, string? Error);

public sealed record Compliance(bool IsFood, bool HalalCertified, IReadOnlyList<string> Flags);

public sealed record Maker(
    Guid MemberId, string Name, string? BusinessName, string? Village, DateOnly? AwayFrom = null, DateOnly? AwayUntil = null, string? Slug = null, Rating? Rating = null);

public sealed record Product(
    Guid Id, Guid CooperativeId, string Category, Listing Listing, Maker Maker, IReadOnlyList<Variant> Variants, IReadOnlyList<ProductImage> Images,
    Compliance Compliance, DateTimeOffset? PublishedAt, Rating? Rating = null);

public sealed record ManagedProduct(
    Guid Id, Guid CooperativeId, Guid MemberId, string Category, ProductStatus Status, string? RejectionReason, bool OnSale, Listing Listing,
    Listing? PendingListing, string? PendingCategory, RevisionStatus RevisionStatus, string? RevisionRejectionReason, IReadOnlyList<Variant> Variants,
    IReadOnlyList<ProductImage> Images, Compliance Compliance, long Revision);

public sealed record Member(Guid Id, Guid CooperativeId, string DisplayName, string? BusinessName, string? Village, string? Story, string? PhotoUrl, MemberStatus Status, string? WhatsApp,
    DateOnly? AwayFrom = null, DateOnly? AwayUntil = null, string? Slug = null);

/// <summary>A maker's public page (<c>/pembuat/{slug}</c>): an active member of an active cooperative.</summary>
public sealed record MakerProfile(Guid Id, string Slug, string DisplayName, string? BusinessName, string? Village, string? Story, string? PhotoUrl,
    DateOnly? AwayFrom, DateOnly? AwayUntil, MakerCooperative Cooperative, Rating? Rating = null);

public sealed record MakerCooperative(Guid Id, string Slug, string Name);

public sealed record ShippingRate(string Zone, int UpToGrams, long PriceRupiah);

/// <remarks><see cref="OnlineMethods"/>: what Stripe's page may offer (<c>card</c>, <c>qris</c>, <c>gopay</c>).</remarks>
public sealed record Merchant(Guid CooperativeId, string Slug, string Name, bool TakesCards, bool Ships, IReadOnlyList<ShippingRate> ShippingRates,
    IReadOnlyList<string>? OnlineMethods = null);

public sealed record BasketLine(Guid ProductId, Guid VariantId, string Name, string VariantLabel, string? ImageUrl, int Quantity, long UnitPriceRupiah,
    long LineTotalRupiah, int WeightGrams, bool Available, string? NameEn = null, DateOnly? MakerAwayUntil = null);

public sealed record Basket(Guid CooperativeId, string CooperativeName, IReadOnlyList<BasketLine> Lines, long ItemsTotalRupiah, int WeightGrams, bool CanCheckOut);

public sealed record OrderLine(Guid Id, Guid ProductId, Guid VariantId, string Name, string VariantLabel, int Quantity, long UnitPriceRupiah, long LineTotalRupiah,
    string? NameEn = null);

public sealed record ShippingAddress(string Recipient, string Street, string City, string Province, string PostalCode, string? Zone);

/// <summary>What shipping the basket to one province costs; null where the cooperative does not ship.</summary>
public sealed record ShippingDestination(string Province, string ZoneNameId, string ZoneNameEn, long? PriceRupiah);

public sealed record ShippingQuote(Guid CooperativeId, int WeightGrams, long ItemsTotalRupiah, IReadOnlyList<ShippingDestination> Destinations);

public sealed record StockShortage(Guid VariantId, int Requested, int Available, string? Reason = null);

public sealed record Order(
    Guid Id, Guid CooperativeId, OrderStatus Status, string PickupCode, FulfilmentKind Fulfilment, DateOnly? PickupDate, PaymentMethod Payment, IReadOnlyList<OrderLine> Lines,
    long ItemsTotalRupiah, long ShippingRupiah, long TotalRupiah, string TotalDisplay, string? CheckoutUrl, DateTimeOffset? PaymentDeadline,
    IReadOnlyList<StockShortage>? Shortages, DateTimeOffset PlacedAt, DateTimeOffset? PaidAt, bool StockConfirmed, long RefundedRupiah,
    string? Language = null, ShippingAddress? ShippingAddress = null, Buyer? Buyer = null, Shipment? Shipment = null,
    PaymentChannel? Channel = null, string? PaymentFailure = null, OrderDispute? Dispute = null);

/// <summary>A chargeback still open on an order (admins only): Stripe's status, the deadline to answer it, what is disputed.</summary>
public sealed record OrderDispute(string Id, string Status, DateTimeOffset DueBy, long AmountRupiah, string Reason);

public sealed record Buyer(string Name, string WhatsApp);

/// <summary>The courier carrying a shipped order and its tracking number.</summary>
public sealed record Shipment(string Courier, string TrackingNumber, DateTimeOffset ShippedAt);

public sealed record LineToPrepare(Guid OrderId, string PickupCode, FulfilmentKind Fulfilment, DateOnly? PickupDate, Guid LineId, string Name, string VariantLabel,
    int Quantity, bool Ready, DateTimeOffset PaidAt);

public sealed record MemberMovement(DateTimeOffset At, string Kind, string Account, long AmountRupiah, string Memo);

public sealed record MemberBalance(Guid MemberId, long PendingRupiah, long AvailableRupiah, long InPayoutRupiah, long PaidOutRupiah, long SavingsRupiah,
    IReadOnlyList<MemberMovement> History, long HeldForDisputeRupiah = 0);

public sealed record MyPayout(Guid BatchId, DateTimeOffset CutOff, PayoutBatchStatus BatchStatus, long AmountRupiah, long SavingsRupiah, PayoutLineStatus Status, string? Reference, string StatementUrl);

public sealed record PayoutLine(Guid MemberId, long AmountRupiah, long SavingsRupiah, PayoutMethod Method, string? BankCode, string? Bank, string? AccountNumber, string? AccountName,
    PayoutLineStatus Status, string? Reference);

public sealed record PayoutBatch(Guid Id, Guid CooperativeId, DateTimeOffset CutOff, long MinimumRupiah, PayoutBatchStatus Status, Guid PreparedBy, Guid? ApprovedBy,
    long TotalRupiah, IReadOnlyList<PayoutLine> Lines, IReadOnlyList<PayoutWaiting>? Waiting = null);

public sealed record OmzetRow(string Key, long GrossRupiah, long FeesRupiah, long RefundedRupiah, long NetRupiah, int Units);

public sealed record OmzetReport(Guid CooperativeId, DateOnly From, DateOnly To, string By, IReadOnlyList<OmzetRow> Rows, OmzetRow Totals,
    long PayoutsMadeRupiah, long OwedToMembersRupiah);

public sealed record ShuRow(Guid MemberId, long TransactionsRupiah, long SavingsRupiah, long JasaUsahaRupiah, long JasaModalRupiah, long TotalRupiah);

public sealed record ShuResult(int Year, long SurplusRupiah, long JasaUsahaPoolRupiah, long JasaModalPoolRupiah, IReadOnlyList<ShuRow> Members, long UnallocatedRupiah)
{
    /// <summary>The year's income (fees) and the cooperative's costs in the books: the surplus is their difference.</summary>
    public long IncomeRupiah { get; init; }

    public long CostsRupiah { get; init; }
}

public sealed record CreatedInvitation(Guid Id, Guid CooperativeId, InvitationKind Kind, string Code, Uri Link, DateTimeOffset ExpiresAt, string? SentVia = null);

public sealed record InvitationSummary(Guid Id, InvitationKind Kind, string? InviteeName, InvitationStatus Status, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? AcceptedAt);

public sealed record CooperativeSummary(Guid Id, string Slug, string Name, CooperativeStatus Status, DateTimeOffset RegisteredAt, string? TimeZone = null);

/// <summary>A message Notifications sent for the cooperative; the address partly hidden.</summary>
public sealed record Delivery(Guid Id, string Recipient, string Template, string Language, string Channel, string Address, DeliveryStatus Status, int Attempts,
    string? LastError, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Reason = null, bool Erased = false);

/// <summary>A page of the delivery log; <see cref="Older"/> asks for the next, older page.</summary>
public sealed record DeliveryPage(IReadOnlyList<Delivery> Items, string? Older);

/// <summary>The language and channel a person chose for her messages, and the addresses she has (partly hidden).</summary>
public sealed record MessagePreferences(string Language, string? Channel, string? WhatsApp, string? Email, string? SendsTo);

/// <summary>A till of the kiosk and its open session, if any (one at most).</summary>
public sealed record TillSummary(Guid Id, string Name, TillSessionSummary? OpenSession);

public sealed record TillSessionSummary(Guid Id, DateTimeOffset OpenedAt, long FloatRupiah);
