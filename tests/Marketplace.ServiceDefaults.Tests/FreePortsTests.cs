using System.Diagnostics;
using Marketplace.LocalInfrastructure;

namespace Marketplace.ServiceDefaults.Tests;

public sealed class FreePortsTests
{
    [Fact]
    public async Task A_port_another_process_has_claimed_is_not_handed_out_until_that_process_ends()
    {
        // Two test processes once picked the same free port, and the RabbitMQ that bound it second did not start.
        var claims = Directory.CreateTempSubdirectory("port-claims").FullName;
        var (lower, upper) = EightFreePorts();
        var unclaimed = lower + 5;
        var claimedElsewhere = Enumerable.Range(lower, upper - lower).Where(p => p != unclaimed).ToList();

        // Another process (util-linux's flock, the same kind of lock) holds the claims on seven of the eight.
        var nested = string.Join(" ", claimedElsewhere.Select(p => $"flock -n {Path.Combine(claims, $"{p}.claim")}"));
        using var other = Process.Start(new ProcessStartInfo("sh", ["-c", $"{nested} sh -c 'echo held; sleep 60'"]) { RedirectStandardOutput = true })!;
        try
        {
            Assert.Equal("held", await other.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));

            Assert.Equal(unclaimed, FreePorts.Next(lower, upper, claims));
            Assert.Throws<InvalidOperationException>(() => FreePorts.Next(lower, upper, claims));
        }
        finally
        {
            other.Kill(entireProcessTree: true);
            await other.WaitForExitAsync();
        }

        // Its claims end with it.
        Assert.Contains(FreePorts.Next(lower, upper, claims), claimedElsewhere);
    }

    private static (int Lower, int Upper) EightFreePorts()
    {
        // Above the range the suites' servers take their ports from, so that none of them is handed out meanwhile.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var lower = Random.Shared.Next(40_000, 60_000);
            if (Enumerable.Range(lower, 8).All(FreePorts.IsFree))
            {
                return (lower, lower + 8);
            }
        }

        throw new InvalidOperationException("No eight free ports in a row.");
    }
}
