using System.Globalization;
using System.Threading.RateLimiting;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Marketplace.Gateway.Security;

/// <summary>A fixed window: at most <see cref="PermitLimit"/> requests per <see cref="Window"/>.</summary>
public sealed class WindowLimit
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; }
}

/// <summary>Bound from <c>RateLimits</c>. Limits are per Gateway replica: divide by the replica count when sizing.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Sign-in, registration, password reset, invitations, token requests: per client IP.</summary>
    public WindowLimit AccountPerIp { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Sign-in, token and reset attempts naming one account, from anywhere.</summary>
    public WindowLimit AccountPerLogin { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(5) };

    /// <summary>
    /// Reads by anyone not signed in, per client IP. Generous: a beach full of tourists may share one mobile
    /// carrier's address.
    /// </summary>
    public WindowLimit AnonymousReadsPerIp { get; set; } = new() { PermitLimit = 600, Window = TimeSpan.FromMinutes(1) };

    /// <summary>State-changing requests per signed-in user.</summary>
    public WindowLimit WritesPerUser { get; set; } = new() { PermitLimit = 120, Window = TimeSpan.FromMinutes(1) };
}

public static class RateLimits
{
    public const string AccountPolicy = "account";

    public static IServiceCollection AddGatewayRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.SectionName));
        services.AddSingleton<AccountAttemptLimiter>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>()
            .Configure<IOptions<RateLimitOptions>>((options, limits) =>
            {
                var settings = limits.Value;
                options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                options.OnRejected = (context, cancellationToken) => RejectAsync(context.HttpContext, context.Lease, cancellationToken);
                options.AddPolicy(AccountPolicy, http => Window($"ip:{ClientAddress(http)}", settings.AccountPerIp));
                options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                {
                    if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
                    {
                        return http.User.Identity?.IsAuthenticated == true
                            ? RateLimitPartition.GetNoLimiter("reads:user")
                            : Window($"reads:{ClientAddress(http)}", settings.AnonymousReadsPerIp);
                    }

                    return http.User.UserId() is { } userId
                        ? Window($"writes:{userId}", settings.WritesPerUser)
                        : RateLimitPartition.GetNoLimiter("writes:anonymous");
                });
            });
        return services;
    }

    public static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static RateLimitPartition<string> Window(string key, WindowLimit limit) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            QueueLimit = 0,
        });

    private static async ValueTask RejectAsync(HttpContext http, RateLimitLease lease, CancellationToken cancellationToken)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
        await TooManyRequests(http, retryAfter).ExecuteAsync(http);
    }

    public static ProblemHttpResult TooManyRequests(HttpContext http, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(http);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            $"Too many requests; try again in {seconds} seconds.",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests",
            extensions: new Dictionary<string, object?> { ["code"] = "rate_limited", ["retryAfterSeconds"] = seconds });
    }
}

/// <summary>
/// Limits attempts on one account whatever address they come from (the per-IP limit does not stop a botnet).
/// Identity's lockout, stored with the account, is the limit all replicas share.
/// </summary>
public sealed class AccountAttemptLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public AccountAttemptLimiter(IOptions<RateLimitOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limit = options.Value.AccountPerLogin;
        _limiter = PartitionedRateLimiter.Create<string, string>(login => RateLimitPartition.GetFixedWindowLimiter(login, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            QueueLimit = 0,
        }));
    }

    /// <summary>A 429 answer when this account has had too many attempts; otherwise null.</summary>
    public ProblemHttpResult? Refuse(HttpContext http, string? login)
    {
        var key = Accounts.SignInName.Key(login);
        if (key.Length == 0)
        {
            return null;
        }

        using var lease = _limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return null;
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        return RateLimits.TooManyRequests(http, retryAfter);
    }

    public void Dispose() => _limiter.Dispose();
}
