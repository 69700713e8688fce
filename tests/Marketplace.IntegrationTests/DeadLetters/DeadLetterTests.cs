using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Marketplace.Gateway.Data;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.DeadLetters;

public sealed class DeadLetterStack : IAsyncLifetime
{
    public GatewayStack Stack { get; } = new() { WithServices = false, WithDeadLetterIntake = true };

    public Task InitializeAsync() => Stack.InitializeAsync();

    public Task DisposeAsync() => Stack.DisposeAsync();
}

public sealed class DeadLetterTests(DeadLetterStack fixture) : IClassFixture<DeadLetterStack>
{
    private GatewayStack Stack => fixture.Stack;

    [Fact]
    public async Task A_poisoned_message_is_taken_in_from_its_error_queue_and_after_the_fix_a_replay_takes_effect_once_even_replayed_twice()
    {
        var probe = new ProbeSwitch();
        var (queue, handle) = await ProbeConsumer.ConnectAsync(Stack.Gateway.Services, probe);
        try
        {
            using var admin = await Stack.SignedInPlatformAdminAsync();
            await SendAsync(queue, "first");

            var letter = await WaitForWaitingAsync(admin, queue + "_error");
            Assert.Equal(0, probe.Effects);
            Assert.Equal(queue, letter.Queue.GetProperty("inputQueue").GetString());
            Assert.EndsWith(":ProbeHappened", letter.Message.GetProperty("messageType").GetString(), StringComparison.Ordinal);
            Assert.Equal("The probe is broken (first).", letter.Message.GetProperty("error").GetString());
            await ErrorQueueEmptiedAsync(queue + "_error");
            var detail = await admin.Http.GetFromJsonAsync<JsonElement>($"/api/account/dead-letters/{letter.Id}");
            Assert.Contains("ProbeConsumer", detail.GetProperty("stackTrace").GetString(), StringComparison.Ordinal);

            probe.Broken = false;
            var replay = await admin.Http.PostAsync(new Uri($"/api/account/dead-letters/{letter.Id}/replay", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
            await Eventually.TrueAsync(() => Task.FromResult(probe.Effects == 1), because: "the replayed message to take effect");

            // Replayed again: delivered to the consumer, whose inbox knows its id.
            var again = await admin.Http.PostAsync(new Uri($"/api/account/dead-letters/{letter.Id}/replay", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            await Eventually.TrueAsync(() => Task.FromResult(probe.Handled == 2), because: "the second replay to be handled");
            Assert.Equal(1, probe.Effects);
            await ErrorQueueEmptiedAsync(queue + "_error");

            var replayed = await EntriesAsync(letter.Id, "dead-letter.replayed", count: 2);
            Assert.All(replayed, e => Assert.Null(e.CooperativeId));
            var waiting = await admin.Http.GetFromJsonAsync<JsonElement>("/api/account/dead-letters");
            Assert.DoesNotContain(waiting.GetProperty("queues").EnumerateArray(), q => q.GetProperty("errorQueue").GetString() == queue + "_error");
        }
        finally
        {
            await handle.StopAsync();
        }
    }

    [Fact]
    public async Task Replay_all_sends_every_waiting_message_of_a_queue_back_once()
    {
        var probe = new ProbeSwitch();
        var (queue, handle) = await ProbeConsumer.ConnectAsync(Stack.Gateway.Services, probe);
        try
        {
            using var admin = await Stack.SignedInPlatformAdminAsync();
            await SendAsync(queue, "one");
            await SendAsync(queue, "two");
            await SendAsync(queue, "three");
            await Eventually.TrueAsync(async () => (await WaitingInAsync(admin, queue + "_error")) == 3, TimeSpan.FromSeconds(60), "three dead letters");

            probe.Broken = false;
            var response = await admin.Http.PostAsync(new Uri($"/api/account/dead-letters/replay-all?queue={queue}_error", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(3, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());
            await Eventually.TrueAsync(() => Task.FromResult(probe.Effects == 3), because: "the three replays to take effect");
            Assert.Equal(0, await WaitingInAsync(admin, queue + "_error"));
        }
        finally
        {
            await handle.StopAsync();
        }
    }

    [Fact]
    public async Task Discarding_needs_a_reason_is_audited_and_a_discarded_message_is_not_sent_again()
    {
        var probe = new ProbeSwitch();
        var (queue, handle) = await ProbeConsumer.ConnectAsync(Stack.Gateway.Services, probe);
        try
        {
            using var admin = await Stack.SignedInPlatformAdminAsync();
            await SendAsync(queue, "unwanted");
            var letter = await WaitForWaitingAsync(admin, queue + "_error");

            var noReason = await admin.Http.PostAsJsonAsync($"/api/account/dead-letters/{letter.Id}/discard", new { reason = "  " });
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
            var problem = await noReason.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _), problem.ToString());
            Assert.Equal(1, await WaitingInAsync(admin, queue + "_error"));

            var discarded = await admin.Http.PostAsJsonAsync($"/api/account/dead-letters/{letter.Id}/discard", new { reason = "Tes lama, tidak perlu diproses" });
            Assert.Equal(HttpStatusCode.OK, discarded.StatusCode);
            var entry = Assert.Single(await EntriesAsync(letter.Id, "dead-letter.discarded", count: 1));
            Assert.Equal("Tes lama, tidak perlu diproses", entry.Reason);
            Assert.Null(entry.CooperativeId);
            Assert.NotNull(entry.ActorId);

            probe.Broken = false;
            var replay = await admin.Http.PostAsync(new Uri($"/api/account/dead-letters/{letter.Id}/replay", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
            Assert.Equal(0, await WaitingInAsync(admin, queue + "_error"));
            Assert.Equal(0, probe.Effects);
        }
        finally
        {
            await handle.StopAsync();
        }
    }

    [Fact]
    public async Task Only_the_platform_admin_may_see_or_act_on_dead_letters()
    {
        using var anonymous = Stack.NewBrowser();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Http.GetAsync(new Uri("/api/account/dead-letters", UriKind.Relative))).StatusCode);

        using var shopper = Stack.NewBrowser();
        var email = $"dl-{Guid.NewGuid():N}"[..12] + "@wisata.test";
        var registered = await shopper.Http.PostAsJsonAsync("/api/account/register", new { displayName = "Sari", email, password = "kerupuk-ikan-enak" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        await shopper.SignInAsync(email, "kerupuk-ikan-enak");
        var id = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Forbidden, (await shopper.Http.GetAsync(new Uri("/api/account/dead-letters", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await shopper.Http.PostAsync(new Uri($"/api/account/dead-letters/{id}/replay", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await shopper.Http.PostAsync(new Uri("/api/account/dead-letters/replay-all?queue=x_error", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await shopper.Http.PostAsJsonAsync($"/api/account/dead-letters/{id}/discard", new { reason = "x" })).StatusCode);

        using var admin = await Stack.SignedInPlatformAdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync(new Uri("/api/account/dead-letters", UriKind.Relative))).StatusCode);
    }

    private sealed record Waiting(Guid Id, JsonElement Queue, JsonElement Message);

    private async Task SendAsync(string queue, string note)
    {
        var endpoint = await Stack.Gateway.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"queue:{queue}"));
        await endpoint.Send(new ProbeHappened(note));
    }

    private static async Task<Waiting> WaitForWaitingAsync(Browser admin, string errorQueue)
    {
        var found = await Eventually.GetAsync(
            async () =>
            {
                var list = await admin.Http.GetFromJsonAsync<JsonElement>("/api/account/dead-letters");
                var queue = list.GetProperty("queues").EnumerateArray().FirstOrDefault(q => q.GetProperty("errorQueue").GetString() == errorQueue);
                return queue.ValueKind == JsonValueKind.Object && queue.GetProperty("messages").GetArrayLength() > 0
                    ? new Waiting(queue.GetProperty("messages")[0].GetProperty("id").GetGuid(), queue.Clone(), queue.GetProperty("messages")[0].Clone())
                    : null;
            },
            w => w is not null,
            TimeSpan.FromSeconds(60),
            $"a dead letter from {errorQueue}");
        return found!;
    }

    /// <summary>The broker's figures lag its queues by a few seconds: the message is gone once they show it.</summary>
    private Task ErrorQueueEmptiedAsync(string errorQueue) =>
        Eventually.TrueAsync(async () => await Stack.Scope.QueueDepthAsync(errorQueue) == 0, TimeSpan.FromSeconds(30), $"{errorQueue} to be empty");

    private static async Task<int> WaitingInAsync(Browser admin, string errorQueue)
    {
        var list = await admin.Http.GetFromJsonAsync<JsonElement>("/api/account/dead-letters");
        var queue = list.GetProperty("queues").EnumerateArray().FirstOrDefault(q => q.GetProperty("errorQueue").GetString() == errorQueue);
        return queue.ValueKind == JsonValueKind.Object ? queue.GetProperty("waiting").GetInt32() : 0;
    }

    private async Task<List<AuditEntry>> EntriesAsync(Guid id, string action, int count)
    {
        await using var scope = Stack.Gateway.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var entries = await db.Set<AuditEntry>().AsNoTracking()
            .Where(e => e.Action == action && e.SubjectId == id.ToString())
            .ToListAsync();
        Assert.Equal(count, entries.Count);
        return entries;
    }
}
