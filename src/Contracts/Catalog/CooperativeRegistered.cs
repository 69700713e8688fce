namespace Marketplace.Contracts.Catalog;

/// <summary>
/// A cooperative was registered on the platform. Orders keeps its own copy of every cooperative,
/// because each cooperative is its own merchant of record.
/// </summary>
public sealed record CooperativeRegistered(
    Guid CooperativeId,
    string Slug,
    string Name,
    decimal FeePercent,
    DateTimeOffset RegisteredAt);
