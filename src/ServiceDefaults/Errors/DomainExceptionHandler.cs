using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.ServiceDefaults.Errors;

/// <summary>Maps domain errors to problem details; anything else stays a 500 with no internals exposed.</summary>
public sealed class DomainExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, code) = exception switch
        {
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
}
