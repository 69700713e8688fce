using System.Net;
using System.Net.Http.Json;

namespace Marketplace.Web.Api;

/// <summary>One service's HTTP API as Web uses it: reads give null when absent, writes give the service's problem.</summary>
public abstract class ServiceApi(HttpClient http, string serviceName)
{
    protected HttpClient Http { get; } = http;

    /// <summary>
    /// A read: null when there is nothing to show (absent, not hers, or a question the service refuses); a service
    /// that cannot answer throws, and the error page says so.
    /// </summary>
    public async Task<T?> GetAsync<T>(string path, CancellationToken cancellationToken = default)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest)
        {
            return default;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(Json.Options, cancellationToken);
    }

    public Task<ApiResult<T>> PostAsync<T>(string path, object? body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Post, path, body, cancellationToken: cancellationToken);

    public Task<ApiResult<T>> PutAsync<T>(string path, object? body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Put, path, body, cancellationToken: cancellationToken);

    public Task<ApiResult<NoBody>> PostAsync(string path, object? body = null, CancellationToken cancellationToken = default) =>
        SendAsync<NoBody>(HttpMethod.Post, path, body, cancellationToken: cancellationToken);

    public Task<ApiResult<NoBody>> PutAsync(string path, object? body, CancellationToken cancellationToken = default) =>
        SendAsync<NoBody>(HttpMethod.Put, path, body, cancellationToken: cancellationToken);

    /// <summary>A write that the service makes idempotent by its key: sending the same form twice does it once.</summary>
    public Task<ApiResult<NoBody>> PostOnceAsync(string path, object? body, string idempotencyKey, CancellationToken cancellationToken = default) =>
        SendAsync<NoBody>(HttpMethod.Post, path, body, idempotencyKey, cancellationToken);

    public async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json.Options);
        }

        HttpResponseMessage response;
        try
        {
            await PrepareAsync(request, cancellationToken);
            response = await Http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // (An OperationCanceledException the page did not ask for is its read budget running out, perhaps between a
            // try and the retry.)
            // Nothing is known to have happened: the page keeps what was typed and says to try again.
            return new ApiResult<T> { Problem = Problem.Unreachable(serviceName), Status = HttpStatusCode.ServiceUnavailable };
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                return new ApiResult<T> { Problem = await ProblemReader.ReadAsync(response, cancellationToken), Status = response.StatusCode };
            }

            var value = typeof(T) == typeof(NoBody) || response.Content.Headers.ContentLength == 0 || response.StatusCode == HttpStatusCode.NoContent
                ? default
                : await response.Content.ReadFromJsonAsync<T>(Json.Options, cancellationToken);
            return new ApiResult<T> { Value = value, Status = response.StatusCode };
        }
    }

    /// <summary>A chance to add what this service needs on a write (the Gateway's antiforgery token).</summary>
    protected virtual Task PrepareAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.CompletedTask;
}

public sealed record NoBody;

public sealed class CatalogApi(HttpClient http) : ServiceApi(http, "The catalog");

public sealed class OrdersApi(HttpClient http) : ServiceApi(http, "Orders");

/// <summary>Settlement lives in the Orders service, under /api/settlement.</summary>
public sealed class SettlementApi(HttpClient http) : ServiceApi(http, "Settlement");

/// <summary>Notifications: the cooperative's delivery log.</summary>
public sealed class NotificationsApi(HttpClient http) : ServiceApi(http, "Notifications");

/// <summary>
/// The Gateway's account API (invitations): it takes a browser's cookie session, so a write carries the
/// antiforgery token the Gateway issues for that session, fetched just before.
/// </summary>
public sealed class AccountApi(HttpClient http) : ServiceApi(http, "The account service")
{
    protected override async Task PrepareAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Get)
        {
            return;
        }

        var token = await GetAsync<AntiforgeryToken>("/api/account/antiforgery", cancellationToken);
        if (token is not null)
        {
            request.Headers.Add(token.HeaderName, token.Token);
        }
    }

    private sealed record AntiforgeryToken(string Token, string HeaderName);
}
