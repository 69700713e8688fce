using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Formatting;
using Xunit;

namespace Marketplace.ServiceDefaults.Tests;

public sealed class WhatsAppNumberTests
{
    [Theory]
    [InlineData("0812 3456 7890")]
    [InlineData("0812-3456-7890")]
    [InlineData("+62 812 3456 7890")]
    [InlineData("+62 (812) 3456-7890")]
    [InlineData("62 812 3456 7890")]
    [InlineData("6281234567890")]
    [InlineData("812 3456 7890")]
    public void Indonesian_spellings_are_one_number(string typed) =>
        Assert.Equal("+6281234567890", WhatsAppNumber.Normalize(typed));

    [Theory]
    [InlineData("+44 7700 900123", "+447700900123")]
    [InlineData("+44 (0)7911 123456", "+447911123456")]
    [InlineData("+61 412 345 678", "+61412345678")]
    [InlineData("+49 1512 3456789", "+4915123456789")]
    [InlineData("+1 (415) 555-2671", "+14155552671")]
    [InlineData("+31 6 12345678", "+31612345678")]
    [InlineData("+65 8123 4567", "+6581234567")]
    [InlineData("+86 138 0013 8000", "+8613800138000")]
    public void Numbers_of_other_countries_are_stored_in_E164(string typed, string stored) =>
        Assert.Equal(stored, WhatsAppNumber.Normalize(typed));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("hello")]
    [InlineData("0812")]
    [InlineData("+44 7700")]
    [InlineData("+999 1234 5678")]
    [InlineData("0812 3456 7890 1234 5678")]
    [InlineData("021 555 1234")]
    [InlineData("0812 3456 789x")]
    [InlineData("+62 812 3456 7890; DROP TABLE")]
    public void Anything_else_is_refused(string typed)
    {
        var refusal = Assert.Throws<DomainException>(() => WhatsAppNumber.Normalize(typed));
        Assert.Equal("invalid_whatsapp", refusal.Code);
    }

    [Fact]
    public void An_optional_number_may_be_left_empty()
    {
        Assert.Null(WhatsAppNumber.NormalizeOptional("  "));
        Assert.Equal("+447700900123", WhatsAppNumber.NormalizeOptional("+447700900123"));
    }
}
