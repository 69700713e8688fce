using Marketplace.ServiceDefaults.Data;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.ServiceDefaults.Tests;

public sealed class UtcTimestampsTests
{
    private sealed class Sale
    {
        public int Id { get; set; }

        public DateTimeOffset At { get; set; }
    }

    private sealed class SalesDbContext(DbContextOptions<SalesDbContext> options) : DbContext(options)
    {
        public DbSet<Sale> Sales => Set<Sale>();
    }

    private static SalesDbContext Create(string connectionString, bool withInterceptor)
    {
        var options = new DbContextOptionsBuilder<SalesDbContext>().UseNpgsql(connectionString);
        if (withInterceptor)
        {
            options.AddInterceptors(new UtcTimestampsInterceptor());
        }

        return new SalesDbContext(options.Options);
    }

    [Fact]
    public async Task A_local_time_is_saved_as_the_same_instant_in_UTC()
    {
        var scope = await TestScope.CreateAsync();
        var connectionString = scope.Database("timestamps");
        var kioskTime = new DateTimeOffset(2026, 11, 28, 16, 30, 0, TimeSpan.FromHours(7));
        await using (var db = Create(connectionString, withInterceptor: true))
        {
            await db.Database.EnsureCreatedAsync();
            db.Sales.Add(new Sale { At = kioskTime });
            await db.SaveChangesAsync();
        }

        await using var read = Create(connectionString, withInterceptor: false);
        var saved = await read.Sales.SingleAsync();
        Assert.Equal(kioskTime, saved.At);
        Assert.Equal(TimeSpan.Zero, saved.At.Offset);

        // Without it, PostgreSQL's driver refuses the local time outright.
        read.Sales.Add(new Sale { At = kioskTime });
        await Assert.ThrowsAnyAsync<Exception>(() => read.SaveChangesAsync());
    }
}
