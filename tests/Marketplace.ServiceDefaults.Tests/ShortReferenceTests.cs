using Marketplace.ServiceDefaults.Formatting;

namespace Marketplace.ServiceDefaults.Tests;

public sealed class ShortReferenceTests
{
    [Fact]
    public void Records_made_in_the_same_second_read_differently()
    {
        // Two deliveries received a minute apart once showed the same number, because the shown characters were the
        // id's timestamp. Made in the very same second, a hundred records must still read apart.
        var now = new DateTimeOffset(2026, 12, 1, 19, 0, 0, TimeSpan.Zero);
        var references = Enumerable.Range(0, 100).Select(_ => ShortReference.Of(Guid.CreateVersion7(now))).ToList();

        Assert.Equal(100, references.Distinct().Count());
        Assert.All(references, r => Assert.Matches("^[0-9A-F]{8}$", r));
    }

    [Fact]
    public void The_same_record_always_reads_the_same()
    {
        var id = Guid.Parse("01a23321-f2af-7f94-b043-3bfe5af9b33a");

        Assert.Equal("5AF9B33A", ShortReference.Of(id));
        Assert.Equal(ShortReference.Of(id), ShortReference.Of(Guid.Parse(id.ToString())));
    }
}
