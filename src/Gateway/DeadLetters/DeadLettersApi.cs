using System.Security.Claims;
using System.Text.Json;
using Marketplace.Gateway.Data;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RabbitMQ.Client;

namespace Marketplace.Gateway.DeadLetters;

/// <param name="Error">The fault's first line: what the page shows. The stack is only in <see cref="DeadLetterDetail"/>.</param>
public sealed record DeadLetterSummary(Guid Id, string MessageId, string? MessageType, string? ExceptionType, string? Error,
    DateTimeOffset FaultedAt, DeadLetterStatus Status, string? Reason, int Replays, DateTimeOffset? ActedAt);

public sealed record DeadLetterQueue(string ErrorQueue, string InputQueue, int Waiting, IReadOnlyList<DeadLetterSummary> Messages);

public sealed record DeadLetterList(int Waiting, IReadOnlyList<DeadLetterQueue> Queues);

public sealed record DeadLetterDetail(DeadLetterSummary Summary, string ErrorQueue, string InputQueue, string? FaultMessage, string? StackTrace, string Body);

public sealed record DiscardDeadLetterRequest(string? Reason);

public sealed record ReplayedDeadLetters(int Replayed);

public static class DeadLettersApi
{
    private const int MaxReplayAll = 1000;

    /// <summary>The platform admin's view of messages that faulted into <c>_error</c> queues, and her replay and discard.</summary>
    public static IEndpointRouteBuilder MapDeadLettersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/account/dead-letters").WithTags("DeadLetters")
            .RequireAuthorization(MarketplacePolicies.PlatformAdmin);
        group.MapGet("/", ListAsync)
            .WithName("ListDeadLetters")
            .WithSummary("Dead letters grouped by queue, newest first: waiting ones, or those replayed or discarded (status=done).");
        group.MapGet("/{id:guid}", GetAsync)
            .WithName("GetDeadLetter")
            .WithSummary("One dead letter with its fault's stack lines and body, for the developer fixing the consumer.");
        group.MapPost("/{id:guid}/replay", ReplayAsync)
            .WithName("ReplayDeadLetter")
            .WithSummary("Sends the message again, as it was, to its consumer's queue; its inbox makes it take effect once.");
        group.MapPost("/replay-all", ReplayAllAsync)
            .WithName("ReplayAllDeadLetters")
            .WithSummary("Sends every waiting message of one _error queue again.");
        group.MapPost("/{id:guid}/discard", DiscardAsync)
            .WithName("DiscardDeadLetter")
            .WithSummary("Gives up on a waiting message, with the reason why.");
        return app;
    }

    private static async Task<Ok<DeadLetterList>> ListAsync(GatewayDbContext db, string? status, int? limit, int? offset, CancellationToken cancellationToken)
    {
        var done = status == "done";
        var take = Math.Clamp(limit ?? 50, 1, 200);
        var skip = Math.Max(offset ?? 0, 0);
        var letters = db.Set<DeadLetter>().AsNoTracking()
            .Where(d => done ? d.Status != DeadLetterStatus.Waiting : d.Status == DeadLetterStatus.Waiting);
        var queues = await letters.GroupBy(d => new { d.ErrorQueue, d.InputQueue })
            .Select(g => new { g.Key.ErrorQueue, g.Key.InputQueue, Count = g.Count() })
            .OrderBy(g => g.ErrorQueue)
            .ToListAsync(cancellationToken);
        var result = new List<DeadLetterQueue>();
        foreach (var queue in queues)
        {
            var page = await letters.Where(d => d.ErrorQueue == queue.ErrorQueue)
                .OrderByDescending(d => d.FaultedAt).ThenBy(d => d.Id)
                .Skip(skip).Take(take)
                .ToListAsync(cancellationToken);
            result.Add(new DeadLetterQueue(queue.ErrorQueue, queue.InputQueue, queue.Count, page.Select(Summary).ToList()));
        }

        var waiting = done ? await db.Set<DeadLetter>().CountAsync(d => d.Status == DeadLetterStatus.Waiting, cancellationToken) : queues.Sum(q => q.Count);
        return TypedResults.Ok(new DeadLetterList(waiting, result));
    }

    private static async Task<Results<Ok<DeadLetterDetail>, NotFound>> GetAsync(Guid id, GatewayDbContext db, CancellationToken cancellationToken)
    {
        var letter = await db.Set<DeadLetter>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        return letter is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new DeadLetterDetail(Summary(letter), letter.ErrorQueue, letter.InputQueue, letter.FaultMessage, letter.StackTrace,
                System.Text.Encoding.UTF8.GetString(letter.Body)));
    }

    private static async Task<Results<Ok<DeadLetterSummary>, NotFound>> ReplayAsync(
        Guid id, ClaimsPrincipal user, GatewayDbContext db, DeadLetterBroker broker, AuditTrail audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        var letter = await db.Set<DeadLetter>().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (letter is null)
        {
            return TypedResults.NotFound();
        }

        if (letter.Status == DeadLetterStatus.Discarded)
        {
            throw new ConflictException("A discarded message cannot be sent again.", "dead_letter_discarded");
        }

        await using var channel = await broker.OpenChannelAsync(confirms: true, cancellationToken);
        await RepublishAsync(channel, letter, cancellationToken);
        Replayed(letter, user, db, audit, clock);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(Summary(letter));
    }

    private static async Task<Ok<ReplayedDeadLetters>> ReplayAllAsync(
        string queue, ClaimsPrincipal user, GatewayDbContext db, DeadLetterBroker broker, AuditTrail audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        var letters = await db.Set<DeadLetter>()
            .Where(d => d.ErrorQueue == queue && d.Status == DeadLetterStatus.Waiting)
            .OrderBy(d => d.FaultedAt).ThenBy(d => d.Id)
            .Take(MaxReplayAll)
            .ToListAsync(cancellationToken);
        if (letters.Count == 0)
        {
            return TypedResults.Ok(new ReplayedDeadLetters(0));
        }

        // Published first, marked after: a failure between the two sends a message twice, never loses one, and the
        // consumer's inbox takes the second copy as the duplicate it is.
        await using var channel = await broker.OpenChannelAsync(confirms: true, cancellationToken);
        foreach (var letter in letters)
        {
            await RepublishAsync(channel, letter, cancellationToken);
            Replayed(letter, user, db, audit, clock);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new ReplayedDeadLetters(letters.Count));
    }

    private static async Task<Results<Ok<DeadLetterSummary>, NotFound>> DiscardAsync(
        Guid id, DiscardDeadLetterRequest request, ClaimsPrincipal user, GatewayDbContext db, AuditTrail audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        var reason = request.Reason?.Trim();
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(reason))
        {
            errors.Add("reason", "reason_required", "Say why the message is discarded.");
        }
        else if (reason.Length > 500)
        {
            errors.Add("reason", "reason_too_long", "The reason has at most 500 characters.");
        }

        errors.ThrowIfAny();
        var letter = await db.Set<DeadLetter>().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (letter is null)
        {
            return TypedResults.NotFound();
        }

        letter.Discard(user.UserId()!.Value, clock.GetUtcNow(), reason!);
        audit.Record(db, "dead-letter.discarded", null, "dead-letter", letter.Id,
            new { status = DeadLetterStatus.Waiting }, new { letter.Status, letter.ErrorQueue, letter.MessageId, letter.MessageType }, reason);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(Summary(letter));
    }

    private static void Replayed(DeadLetter letter, ClaimsPrincipal user, GatewayDbContext db, AuditTrail audit, TimeProvider clock)
    {
        var before = letter.Status;
        letter.MarkReplayed(user.UserId()!.Value, clock.GetUtcNow());
        audit.Record(db, "dead-letter.replayed", null, "dead-letter", letter.Id,
            new { status = before }, new { letter.Status, letter.InputQueue, letter.MessageId, letter.MessageType, letter.Replays });
    }

    /// <summary>
    /// To the exchange of the input queue's name (MassTransit binds it to the queue), with the original message id and
    /// headers: the consumer sees the message it failed on, and its inbox recognises the id.
    /// </summary>
    private static async Task RepublishAsync(IChannel channel, DeadLetter letter, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties
        {
            MessageId = letter.MessageId,
            ContentType = letter.ContentType,
            DeliveryMode = DeliveryModes.Persistent,
            Headers = Headers(letter.Headers),
        };
        try
        {
            await channel.BasicPublishAsync(letter.InputQueue, string.Empty, mandatory: true, properties, letter.Body, cancellationToken);
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.OperationInterruptedException or RabbitMQ.Client.Exceptions.PublishException)
        {
            throw new ConflictException($"The queue {letter.InputQueue} does not take the message (is its service deployed?).", "dead_letter_unroutable");
        }
    }

    private static Dictionary<string, object?> Headers(string json)
    {
        var headers = new Dictionary<string, object?>();
        using var document = JsonDocument.Parse(json);
        foreach (var header in document.RootElement.EnumerateObject())
        {
            headers[header.Name] = header.Value.ValueKind switch
            {
                JsonValueKind.String => header.Value.GetString(),
                JsonValueKind.Number => header.Value.GetInt64(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => null,
            };
        }

        return headers;
    }

    private static DeadLetterSummary Summary(DeadLetter d) =>
        new(d.Id, d.MessageId, d.MessageType, d.ExceptionType, FirstLine(d.FaultMessage), d.FaultedAt == DateTimeOffset.UnixEpoch ? d.ReceivedAt : d.FaultedAt,
            d.Status, d.Reason, d.Replays, d.ActedAt);

    private static string? FirstLine(string? text)
    {
        var line = text?.Split('\n', 2)[0].TrimEnd('\r');
        return line is { Length: > 300 } ? line[..300] : line;
    }
}
