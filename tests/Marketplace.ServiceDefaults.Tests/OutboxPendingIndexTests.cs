using System.Text.RegularExpressions;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.ServiceDefaults.Telemetry;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Marketplace.ServiceDefaults.Tests;

public sealed class OutboxPendingIndexTests
{
    private const string Table = "\"messaging_test\".\"outbox_messages\"";
    private const string Analyze = "VACUUM (ANALYZE) " + Table;

    [Fact]
    public async Task A_backlog_after_statistics_of_an_all_delivered_table_is_claimed_through_the_key_index()
    {
        var scope = await TestScope.CreateAsync();
        await using var host = await MessagingTestHost.StartAsync(scope, new DeliveryLog(), dispatcher: false, consumers: false);
        var plan = await host.InScopeAsync(async (db, _) =>
        {
            // The steady state: a delivered history, analysed while nothing was pending; then a broker outage's backlog,
            // a message per key, which the statistics know nothing of.
            await db.Database.ExecuteSqlRawAsync(Insert(rows: 2_000, delivered: true));
            await db.Database.ExecuteSqlRawAsync(Analyze);
            await db.Database.ExecuteSqlRawAsync(Insert(rows: 3_000, delivered: false));

            await using var connection = new NpgsqlConnection(db.Database.GetConnectionString());
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var claim = OutboxClaim.Sql(Table).Replace("@batch_size", "100", StringComparison.Ordinal);
            await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + claim, connection, transaction);
            var lines = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    lines.Add(reader.GetString(0));
                }
            }

            await transaction.RollbackAsync();
            return string.Join('\n', lines);
        });

        // The walk in order goes through ix_outbox_pending_in_order once; each claimed message's key is looked up in
        // ix_outbox_pending_by_key, not by walking the pending rows again (which made a claim read the backlog once
        // per message claimed).
        Assert.Equal(1, Regex.Count(plan, "ix_outbox_pending_in_order"));
        Assert.Matches(@"SubPlan[\s\S]*Index (Only )?Scan using ix_outbox_pending_by_key", plan);
        Assert.Matches(@"LockRows \(actual rows=100 loops=1\)", plan);
    }

    [Fact]
    public async Task The_backlog_gauges_count_every_pending_message_and_age_the_oldest_first_delivery()
    {
        var scope = await TestScope.CreateAsync();
        await using var host = await MessagingTestHost.StartAsync(scope, new DeliveryLog(), dispatcher: false, consumers: false);
        await host.InScopeAsync(async (db, _) =>
        {
            // Delivered two hours ago, a delayed redelivery waiting on purpose for three hours, and two pending
            // messages, the older written an hour ago: the age is the hour's.
            await db.Database.ExecuteSqlRawAsync(InsertOne(createdMinutesAgo: 120, redeliveryCount: 0, delivered: true));
            await db.Database.ExecuteSqlRawAsync(InsertOne(createdMinutesAgo: 180, redeliveryCount: 1, delivered: false));
            await db.Database.ExecuteSqlRawAsync(InsertOne(createdMinutesAgo: 60, redeliveryCount: 0, delivered: false));
            await db.Database.ExecuteSqlRawAsync(InsertOne(createdMinutesAgo: 1, redeliveryCount: 0, delivered: false));
            return 0;
        });

        var backlog = host.Services.GetServices<IOutboxBacklogSource>().Single().Backlog;
        await backlog.RefreshAsync();

        Assert.Equal(3, backlog.Current.Pending);
        Assert.InRange(backlog.Current.OldestPendingAgeSeconds, 59 * 60, 70 * 60);
    }

    private static string InsertOne(int createdMinutesAgo, int redeliveryCount, bool delivered) => $"""
        INSERT INTO {Table} (message_id, message_type, body, ordering_key, redelivery_count, created_at, next_attempt_at, dispatched_at, attempts)
        VALUES (gen_random_uuid(), 'Ping', jsonb_build_object('key', 'k', 'sequence', 1), NULL, {redeliveryCount},
                now() - interval '{createdMinutesAgo} minutes', now() + interval '1 hour', {(delivered ? "now()" : "NULL")}, 0)
        """;

    private static string Insert(int rows, bool delivered) => $"""
        INSERT INTO {Table} (message_id, message_type, body, ordering_key, redelivery_count, created_at, next_attempt_at, dispatched_at, attempts)
        SELECT gen_random_uuid(), 'Ping', jsonb_build_object('key', 'k', 'sequence', 1), gen_random_uuid()::text, 0, now(), now(), {(delivered ? "now()" : "NULL")}, 0
        FROM generate_series(1, {rows})
        """;
}
