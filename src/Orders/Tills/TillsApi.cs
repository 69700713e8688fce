using System.Security.Claims;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Marketplace.Orders.Tills;

public sealed record CreateTillRequest(string? Name);

public sealed record OpenTillRequest(long FloatRupiah);

/// <summary><c>direction</c> is <c>in</c> or <c>out</c>; the reason is required.</summary>
public sealed record CashMovementRequest(long AmountRupiah, string? Direction, string? Reason);

public sealed record CloseTillRequest(long CountedRupiah, string? Note);

public sealed record ReviewTillRequest(string? Note);

public sealed record TillSettingsRequest(long DifferenceReviewRupiah);

public sealed record TillSettingsResponse(Guid CooperativeId, long DifferenceReviewRupiah);

/// <summary>The kiosk's tills: open a session with a float, move cash with a reason, close with the cash counted, review a difference.</summary>
public static class TillsApi
{
    private const int Attempts = 5;
    private const int PageSize = 50;

    public static RouteGroupBuilder MapTillsApi(this RouteGroupBuilder api)
    {
        var kiosk = api.MapGroup("/kiosk/{cooperativeId:guid}").WithTags("Tills").RequireClerkOfRouteCooperative();
        kiosk.MapGet("/tills", ListTillsAsync)
            .WithName("ListTills")
            .WithSummary("The cooperative's tills, each with its open session if any; the first call creates the till \"Kios\".");
        kiosk.MapPost("/tills", CreateTillAsync)
            .WithName("CreateTill")
            .WithSummary("Adds a till (admins only).");
        kiosk.MapPost("/tills/{tillId:guid}/sessions", OpenAsync)
            .WithName("OpenTillSession")
            .WithSummary("Opens a session on the till with the cash float; 409 till_already_open while one is open.");
        kiosk.MapGet("/till-sessions", ListSessionsAsync)
            .WithName("ListTillSessions")
            .WithSummary("Till sessions, newest first (status open, closed or awaitingReview); admins see all, a clerk her own.");
        kiosk.MapGet("/till-sessions/{sessionId:guid}", ReportAsync)
            .WithName("TillSessionReport")
            .WithSummary("The session's running (X) report while open, its closing (Z) report once closed.");
        kiosk.MapPost("/till-sessions/{sessionId:guid}/cash-movements", MoveCashAsync)
            .WithName("MoveTillCash")
            .WithSummary("Cash paid into or out of the till, with a reason.");
        kiosk.MapPost("/till-sessions/{sessionId:guid}/close", CloseAsync)
            .WithName("CloseTillSession")
            .WithSummary("Closes the session with the cash counted: the difference is posted, and one above the threshold awaits an admin's review. Answers the Z report.");
        kiosk.MapPost("/till-sessions/{sessionId:guid}/review", ReviewAsync)
            .WithName("ReviewTillSession")
            .WithSummary("An admin's review of a difference above the threshold.");
        api.MapPut("/merchants/{cooperativeId:guid}/till-settings", SetSettingsAsync)
            .RequireAdminOfRouteCooperative(hideFromOthers: true)
            .WithTags("Tills")
            .WithName("SetTillSettings")
            .WithSummary("Above how many rupiah (either way) a till's difference waits for an admin's review.");
        return api;
    }

    private static string Caller(ClaimsPrincipal user) => user.UserId()?.ToString() ?? "unknown";

    private static async Task<Ok<List<TillResponse>>> ListTillsAsync(Guid cooperativeId, OrdersDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        await EnsureDefaultTillAsync(db, cooperativeId, clock, cancellationToken);
        var tills = await db.Tills.AsNoTracking().Where(t => t.CooperativeId == cooperativeId).OrderBy(t => t.CreatedAt).ToListAsync(cancellationToken);
        var ids = tills.Select(t => t.Id).ToList();
        var open = await db.TillSessions.AsNoTracking()
            .Where(s => ids.Contains(s.TillId) && s.Status == TillSessionStatus.Open)
            .ToDictionaryAsync(s => s.TillId, cancellationToken);
        return TypedResults.Ok(tills.Select(t => new TillResponse(t.Id, t.Name,
            open.TryGetValue(t.Id, out var s) ? new TillOpenSession(s.Id, s.OpenedBy, s.OpenedAt, s.FloatRupiah, s.ExpectedCashRupiah) : null)).ToList());
    }

    /// <summary>Every cooperative sells from "Kios" without setting anything up; two first calls at once create it once.</summary>
    public static async Task EnsureDefaultTillAsync(OrdersDbContext db, Guid cooperativeId, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(clock);
        if (await db.Tills.AnyAsync(t => t.CooperativeId == cooperativeId, cancellationToken)
            || !await db.Merchants.AnyAsync(m => m.CooperativeId == cooperativeId, cancellationToken))
        {
            return;
        }

        db.Tills.Add(Till.Create(cooperativeId, Till.DefaultName, clock.GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Created by the other call.
        }

        db.ChangeTracker.Clear();
    }

    private static async Task<Results<Created<TillResponse>, ForbidHttpResult>> CreateTillAsync(
        Guid cooperativeId, CreateTillRequest request, ClaimsPrincipal user, OrdersDbContext db, TimeProvider clock, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (!user.IsAdminOf(cooperativeId))
        {
            return TypedResults.Forbid();
        }

        // "Kios" comes first, whether a clerk or an admin adding another is the first to use the tills.
        await EnsureDefaultTillAsync(db, cooperativeId, clock, cancellationToken);
        var errors = new FieldErrors();
        var till = errors.Check("name", () => Till.Create(cooperativeId, request.Name ?? string.Empty, clock.GetUtcNow()));
        errors.ThrowIfAny();
        var name = till!.Name;
        if (await db.Tills.AnyAsync(t => t.CooperativeId == cooperativeId && t.Name == name, cancellationToken))
        {
            throw new ValidationFailedException([new FieldError("name", "name_taken", "The cooperative already has a till by that name.")]);
        }

        db.Tills.Add(till);
        audit.Record(db, "till.created", cooperativeId, "till", till.Id, null, new { till.Name });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/orders/kiosk/{cooperativeId}/tills", new TillResponse(till.Id, till.Name, null));
    }

    private static async Task<Results<Created<TillReport>, NotFound>> OpenAsync(
        Guid cooperativeId, Guid tillId, OpenTillRequest request, ClaimsPrincipal user, OrdersDbContext db, TimeProvider clock, AuditTrail audit,
        CancellationToken cancellationToken)
    {
        var till = await db.Tills.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tillId && t.CooperativeId == cooperativeId, cancellationToken);
        if (till is null)
        {
            return TypedResults.NotFound();
        }

        if (await db.TillSessions.AnyAsync(s => s.TillId == tillId && s.Status == TillSessionStatus.Open, cancellationToken))
        {
            throw AlreadyOpen();
        }

        var errors = new FieldErrors();
        var session = errors.Check("floatRupiah", () => TillSession.Open(till, request.FloatRupiah, Caller(user), clock.GetUtcNow()));
        errors.ThrowIfAny();
        db.TillSessions.Add(session!);
        audit.Record(db, "till.opened", cooperativeId, "till-session", session!.Id, null, AuditedFields(session, till.Name));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another clerk opened it a moment ago: the partial unique index lets only one session be open.
            throw AlreadyOpen();
        }

        return TypedResults.Created($"/api/orders/kiosk/{cooperativeId}/till-sessions/{session!.Id}", TillReport.Of(session, till.Name, []));
    }

    private static ConflictException AlreadyOpen() => new("This till already has an open session: use it, or close it first.", "till_already_open");

    private static async Task<Ok<TillSessionPage>> ListSessionsAsync(
        Guid cooperativeId, string? status, int? page, ClaimsPrincipal user, OrdersDbContext db, CancellationToken cancellationToken)
    {
        var query = db.TillSessions.AsNoTracking().Where(s => s.CooperativeId == cooperativeId);
        if (!user.IsAdminOf(cooperativeId))
        {
            var me = Caller(user);
            query = query.Where(s => s.OpenedBy == me);
        }

        query = status?.Trim().ToLowerInvariant() switch
        {
            "open" => query.Where(s => s.Status == TillSessionStatus.Open),
            "closed" => query.Where(s => s.Status == TillSessionStatus.Closed),
            "awaitingreview" => query.Where(s => s.AwaitsReview),
            null or "" => query,
            _ => throw new ValidationFailedException([new FieldError("status", "invalid_status", "status is open, closed or awaitingReview.")]),
        };
        var number = Math.Max(page ?? 1, 1);
        var total = await query.CountAsync(cancellationToken);
        var sessions = await query.OrderByDescending(s => s.OpenedAt).Skip((number - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        var tillIds = sessions.Select(s => s.TillId).Distinct().ToList();
        var names = await db.Tills.AsNoTracking().Where(t => tillIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        return TypedResults.Ok(new TillSessionPage(
            sessions.Select(s => new TillSessionSummary(s.Id, s.TillId, names.GetValueOrDefault(s.TillId, string.Empty), s.Status == TillSessionStatus.Open ? "open" : "closed",
                s.OpenedBy, s.OpenedAt, s.ClosedAt, s.ExpectedCashRupiah, s.CountedRupiah, s.DifferenceRupiah, s.AwaitsReview)).ToList(),
            number, PageSize, total));
    }

    private static async Task<Results<Ok<TillReport>, NotFound>> ReportAsync(Guid cooperativeId, Guid sessionId, OrdersDbContext db, CancellationToken cancellationToken)
    {
        var session = await db.TillSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId && s.CooperativeId == cooperativeId, cancellationToken);
        return session is null ? TypedResults.NotFound() : TypedResults.Ok(await ReportOfAsync(db, session, cancellationToken));
    }

    private static Task<Results<Ok<TillReport>, NotFound>> MoveCashAsync(
        Guid cooperativeId, Guid sessionId, CashMovementRequest request, ClaimsPrincipal user, OrdersDbContext db, TimeProvider clock, AuditTrail audit,
        CancellationToken cancellationToken)
    {
        var into = request.Direction?.Trim().ToLowerInvariant() switch
        {
            "in" => true,
            "out" => false,
            _ => throw new ValidationFailedException([new FieldError("direction", "invalid_direction", "Say whether the cash goes in or out.")]),
        };
        return ChangeAsync(db, cooperativeId, sessionId, s => s.MoveCash(request.AmountRupiah, into, request.Reason ?? string.Empty, Caller(user), clock.GetUtcNow()),
            new AuditedStep(audit, into ? "till.cash-paid-in" : "till.cash-paid-out", request.Reason), cancellationToken);
    }

    private static async Task<Results<Ok<TillReport>, NotFound>> CloseAsync(
        Guid cooperativeId, Guid sessionId, CloseTillRequest request, ClaimsPrincipal user, OrdersDbContext db, TimeProvider clock, AuditTrail audit,
        CancellationToken cancellationToken)
    {
        var threshold = await db.Merchants.AsNoTracking().Where(m => m.CooperativeId == cooperativeId)
            .Select(m => (long?)m.TillDifferenceReviewRupiah).FirstOrDefaultAsync(cancellationToken) ?? Merchants.Merchant.DefaultTillDifferenceReviewRupiah;
        return await ChangeAsync(db, cooperativeId, sessionId, s =>
        {
            s.Close(request.CountedRupiah, request.Note, threshold, Caller(user), clock.GetUtcNow());
            return null;
        }, new AuditedStep(audit, "till.closed", request.Note), cancellationToken);
    }

    private static async Task<Results<Ok<TillReport>, NotFound, ForbidHttpResult>> ReviewAsync(
        Guid cooperativeId, Guid sessionId, ReviewTillRequest request, ClaimsPrincipal user, OrdersDbContext db, TimeProvider clock, AuditTrail audit,
        CancellationToken cancellationToken)
    {
        if (!user.IsAdminOf(cooperativeId))
        {
            return TypedResults.Forbid();
        }

        var reviewed = await ChangeAsync(db, cooperativeId, sessionId, s =>
        {
            s.Review(request.Note, Caller(user), clock.GetUtcNow());
            return null;
        }, new AuditedStep(audit, "till.reviewed", request.Note), cancellationToken);
        return reviewed.Result is Ok<TillReport> ok ? ok : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<TillSettingsResponse>, NotFound>> SetSettingsAsync(
        Guid cooperativeId, TillSettingsRequest request, OrdersDbContext db, AuditTrail audit, CancellationToken cancellationToken)
    {
        var merchant = await db.Merchants.FirstOrDefaultAsync(m => m.CooperativeId == cooperativeId, cancellationToken);
        if (merchant is null)
        {
            return TypedResults.NotFound();
        }

        var before = new { merchant.TillDifferenceReviewRupiah };
        merchant.SetTillDifferenceReview(request.DifferenceReviewRupiah);
        audit.Record(db, "settings.till-changed", cooperativeId, "merchant", cooperativeId, before, new { merchant.TillDifferenceReviewRupiah });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new TillSettingsResponse(cooperativeId, merchant.TillDifferenceReviewRupiah));
    }

    /// <summary>Applies a change to the session and saves it with what it owes; a sale saved first makes it decide again on the new totals.</summary>
    private static async Task<Results<Ok<TillReport>, NotFound>> ChangeAsync(
        OrdersDbContext db, Guid cooperativeId, Guid sessionId, Func<TillSession, TillMovement?> change, AuditedStep audited, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var session = await db.TillSessions.FirstOrDefaultAsync(s => s.Id == sessionId && s.CooperativeId == cooperativeId, cancellationToken);
            if (session is null)
            {
                return TypedResults.NotFound();
            }

            var before = AuditedFields(session);
            var movement = change(session);
            if (movement is not null)
            {
                db.TillMovements.Add(movement);
            }

            audited.Trail.Record(db, audited.Action, cooperativeId, "till-session", session.Id, before, AuditedFields(session), audited.Reason);

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return TypedResults.Ok(await ReportOfAsync(db, session, cancellationToken));
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
            }
        }
    }

    /// <summary>A step on a till the audit trail records: its action and the reason or note given.</summary>
    private sealed record AuditedStep(AuditTrail Trail, string Action, string? Reason);

    /// <summary>What a till's money looks like in the audit trail, before and after a step.</summary>
    private static object AuditedFields(TillSession session, string? tillName = null) => new
    {
        till = tillName, session.Status, session.FloatRupiah, session.CashSalesRupiah, session.KioskPaymentsRupiah, session.CashRefundsRupiah, session.PaidInRupiah, session.PaidOutRupiah,
        session.CountedRupiah, session.DifferenceRupiah, session.AwaitsReview,
    };

    private static async Task<TillReport> ReportOfAsync(OrdersDbContext db, TillSession session, CancellationToken cancellationToken)
    {
        var name = await db.Tills.AsNoTracking().Where(t => t.Id == session.TillId).Select(t => t.Name).FirstAsync(cancellationToken);
        var movements = await db.TillMovements.AsNoTracking()
            .Where(m => m.TillSessionId == session.Id && (m.Kind == TillMovementKind.PaidIn || m.Kind == TillMovementKind.PaidOut))
            .ToListAsync(cancellationToken);
        return TillReport.Of(session, name, movements);
    }
}
