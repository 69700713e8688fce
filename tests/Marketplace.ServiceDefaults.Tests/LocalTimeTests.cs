using Marketplace.ServiceDefaults.Formatting;

namespace Marketplace.ServiceDefaults.Tests;

public sealed class LocalTimeTests
{
    // 17:30 UTC on 1 December: already 2 December in all of Indonesia.
    private static readonly DateTimeOffset EveningInEurope = new(2026, 12, 1, 17, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Asia/Jakarta", 0, 30, "WIB")]
    [InlineData("Asia/Makassar", 1, 30, "WITA")]
    [InlineData("Asia/Jayapura", 2, 30, "WIT")]
    public void A_moment_reads_in_the_cooperatives_own_zone_with_its_indonesian_name(string zone, int hour, int minute, string label)
    {
        var local = LocalTime.Of(EveningInEurope, zone);

        Assert.Equal(new DateOnly(2026, 12, 2), local.Date);
        Assert.Equal((hour, minute), (local.At.Hour, local.At.Minute));
        Assert.Equal(label, local.Label);
        Assert.Equal(EveningInEurope, local.At);
    }

    [Fact]
    public void Without_a_cooperative_the_default_is_pantai_binors_western_indonesia_time()
    {
        var local = LocalTime.Of(EveningInEurope);

        Assert.Equal(TimeSpan.FromHours(7), local.At.Offset);
        Assert.Equal("WIB", local.Label);
        Assert.Equal(LocalTime.Of(EveningInEurope, "Asia/Jakarta"), local);
    }

    [Fact]
    public void An_unknown_zone_reads_as_the_default_rather_than_failing_the_page()
    {
        Assert.Equal(LocalTime.Of(EveningInEurope), LocalTime.Of(EveningInEurope, "Not/AZone"));
    }

    [Fact]
    public void A_zone_outside_indonesia_is_named_by_its_offset()
    {
        Assert.Equal("UTC+9:30", LocalTime.Of(EveningInEurope, "Australia/Darwin").Label);
        Assert.Equal("UTC-5", LocalTime.Of(EveningInEurope, "America/New_York").Label);
    }

    [Fact]
    public void Today_turns_at_local_midnight()
    {
        Assert.Equal(new DateOnly(2026, 12, 1), LocalTime.Today(new DateTimeOffset(2026, 12, 1, 16, 59, 0, TimeSpan.Zero), "Asia/Jakarta"));
        Assert.Equal(new DateOnly(2026, 12, 2), LocalTime.Today(new DateTimeOffset(2026, 12, 1, 17, 0, 0, TimeSpan.Zero), "Asia/Jakarta"));
        Assert.Equal(new DateOnly(2026, 12, 2), LocalTime.Today(new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.Zero), "Asia/Makassar"));
    }
}
