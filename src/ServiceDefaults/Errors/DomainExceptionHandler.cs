using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.ServiceDefaults.Errors;

/// <summary>
/// Maps domain errors to problem details, a database that cannot answer for now to 503 with <c>Retry-After</c>, and a
/// control character in a body to 400 at its field; anything else stays a 500 with no internals exposed.
/// </summary>
public sealed class DomainExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    /// <summary>Seconds a client is asked to wait after a 503: a restarting or failing-over database is back in seconds.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (Find<ControlCharacterException>(exception) is { } control)
        {
            exception = new ValidationFailedException([new FieldError(control.Field, ControlCharacters.Code, control.Reason)]);
        }

        var (status, title, code) = exception switch
        {
            _ when IsTransient(exception) && !httpContext.RequestAborted.IsCancellationRequested =>
                (StatusCodes.Status503ServiceUnavailable, "The service cannot reach its database right now; try again in a few seconds.", "temporarily_unavailable"),
            NotFoundException e => (StatusCodes.Status404NotFound, e.Message, e.Code),
            ConflictException e => (StatusCodes.Status409Conflict, e.Message, e.Code),
            DbUpdateException { InnerException: Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation } } =>
                (StatusCodes.Status409Conflict, "That already exists.", "duplicate"),
            DbUpdateException { InnerException: Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.CheckViolation } } =>
                (StatusCodes.Status409Conflict, "The change conflicts with the current state (for example, stock held for orders).", "conflict"),
            DbUpdateConcurrencyException => (StatusCodes.Status409Conflict, "The resource was changed by someone else; reload and try again.", "concurrency"),
            PayloadTooLargeException e => (StatusCodes.Status413PayloadTooLarge, e.Message, e.Code),
            DomainException e => (StatusCodes.Status400BadRequest, e.Message, e.Code),
            BadHttpRequestException e => (e.StatusCode, "The request could not be read.", "bad_request"),
            _ => (0, string.Empty, string.Empty),
        };
        if (status == 0)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Extensions = { ["code"] = code },
        };
        if (exception is ValidationFailedException validation)
        {
            // The usual shape (field -> messages) for any client, and each field's rule codes for a page that
            // says them in its reader's language.
            problem.Extensions["errors"] = validation.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
            problem.Extensions["fieldCodes"] = validation.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Code).ToArray());
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = problem,
        });
    }

    /// <summary>
    /// A failure that goes away by itself: the database unreachable, restarting or overloaded (Npgsql's transient
    /// errors, a statement or command time-out, which Npgsql reports as transient), or EF's retries used up on such a failure.
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.QueryCanceled or Npgsql.PostgresErrorCodes.AdminShutdown or Npgsql.PostgresErrorCodes.CannotConnectNow or Npgsql.PostgresErrorCodes.TooManyConnections }:
                case Npgsql.NpgsqlException { IsTransient: true }:
                case Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException:
                    return true;
            }
        }

        return false;
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}
