namespace Marketplace.Contracts.Catalog;

/// <summary>A cooperative changed its public name. Published in order after its registration.</summary>
public sealed record CooperativeRenamed(Guid CooperativeId, string Name, DateTimeOffset RenamedAt);
