namespace Marketplace.Web.Api;

/// <summary>A product's (or the month's) laba as Settlement reports it: see its LabaFigures.</summary>
public sealed record LabaRow(string Key, string Name, long OmzetRupiah, long FeeRupiah, long RefundedRupiah, long NetRupiah, long CostOfGoodsRupiah,
    bool CostOfGoodsComplete, long OtherCostsRupiah, long LabaRupiah, decimal? MarginPercent, int Units);

public sealed record LabaMonth(string Month, long OmzetRupiah, long LabaRupiah);

public sealed record MemberLabaReport(Guid MemberId, string Month, IReadOnlyList<LabaRow> Products, LabaRow Totals, IReadOnlyList<LabaMonth> Months);

public sealed record OtherCostView(Guid Id, Guid? MemberId, string Category, long AmountRupiah, DateOnly Date, string? Note, DateTimeOffset RecordedAt,
    bool Editable, DateTimeOffset? DeletedAt, string? DeletedReason, Guid? Replaces, Guid? ReplacedBy);

public sealed record OtherCostList(string Month, long TotalRupiah, IReadOnlyList<OtherCostView> Costs, IReadOnlyList<string> Categories);

public sealed record CostCategoryTotal(string Category, long AmountRupiah);

public sealed record CooperativeMonth(string Month, long IncomeRupiah, long CostsRupiah, long SurplusRupiah);

public sealed record CooperativeYearReport(Guid CooperativeId, int Year, long IncomeRupiah, long CostsRupiah, long SurplusRupiah,
    IReadOnlyList<CostCategoryTotal> CostsByCategory, IReadOnlyList<CooperativeMonth> Months);
