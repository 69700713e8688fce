using Marketplace.Orders.Settlement.Costs;
using Marketplace.Orders.Settlement.Reporting;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Orders.Tests;

public sealed class OtherCostTests
{
    private static readonly DateOnly Today = new(2026, 6, 20);
    private static readonly DateTimeOffset Now = new(2026, 6, 20, 9, 0, 0, TimeSpan.FromHours(7));

    [Fact]
    public void Every_mistake_of_a_cost_is_told_at_once_at_its_field()
    {
        var refused = Assert.Throws<ValidationFailedException>(() =>
            OtherCost.Record(Guid.NewGuid(), Guid.NewGuid(), new OtherCostInput("rent", 0, Today.AddDays(1), new string('x', 201)), Guid.NewGuid(), Today, Now));

        // Rent is the cooperative's, not a member's.
        Assert.Equal(["amountRupiah", "category", "date", "note"], refused.Errors.Select(e => e.Field).Order());
        Assert.NotNull(OtherCost.Record(Guid.NewGuid(), null, new OtherCostInput("rent", 50_000, Today, null), Guid.NewGuid(), Today, Now));
    }

    [Fact]
    public void A_cost_of_a_month_that_has_ended_can_no_longer_be_edited_or_deleted()
    {
        var may = OtherCost.Record(Guid.NewGuid(), Guid.NewGuid(), new OtherCostInput("transport", 10_000, new DateOnly(2026, 5, 31), null), Guid.NewGuid(), Today, Now);

        var edit = Assert.Throws<ConflictException>(() => may.ReplaceWith(new OtherCostInput("transport", 12_000, new DateOnly(2026, 5, 31), null), Guid.NewGuid(), Today, Now));
        var delete = Assert.Throws<ConflictException>(() => may.Delete("salah", Guid.NewGuid(), Today, Now));

        Assert.Equal(OtherCostRules.MonthClosedCode, edit.Code);
        Assert.Equal(OtherCostRules.MonthClosedCode, delete.Code);
        Assert.True(may.Counts);
    }

    [Fact]
    public void An_edit_keeps_the_old_cost_replaced_and_a_deletion_needs_a_reason_and_happens_once()
    {
        var by = Guid.NewGuid();
        var cost = OtherCost.Record(Guid.NewGuid(), Guid.NewGuid(), new OtherCostInput("packaging", 7_000, Today, "plastik"), by, Today, Now);

        var replacement = cost.ReplaceWith(new OtherCostInput("packaging", 7_500, Today, "plastik dan label"), by, Today, Now);
        Assert.Throws<ValidationFailedException>(() => replacement.Delete("  ", by, Today, Now));
        replacement.Delete("Dobel", by, Today, Now);

        Assert.False(cost.Counts);
        Assert.Equal(replacement.Id, cost.ReplacedBy);
        Assert.Equal(cost.Id, replacement.Replaces);
        Assert.Equal(7_500, replacement.AmountRupiah);
        Assert.False(replacement.Counts);
        Assert.Equal("Dobel", replacement.DeletedReason);
        Assert.Throws<ConflictException>(() => replacement.Delete("lagi", by, Today, Now));
    }

    [Theory]
    [InlineData(37_500, 210_000, "17.9")]
    [InlineData(-1_000, 3_000, "-33.3")]
    [InlineData(1, 8, "12.5")]
    public void The_margin_is_laba_over_omzet_in_percent_with_one_decimal(long laba, long omzet, string margin) =>
        Assert.Equal(decimal.Parse(margin, System.Globalization.CultureInfo.InvariantCulture), LabaFigures.Margin(laba, omzet));

    [Fact]
    public void Without_omzet_there_is_no_margin() => Assert.Null(LabaFigures.Margin(-5_000, 0));
}
