using System.Collections.Concurrent;
using System.Globalization;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;
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

    /// <summary>
    /// Sign-in, token and reset attempts naming one account from one client address. Not from anywhere: a limit
    /// anyone could use up would let a stranger keep the owner out.
    /// </summary>
    public WindowLimit AccountPerLogin { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(5) };

    /// <summary>
    /// Wrong passwords for one login from one client address (counted alike whether the account exists or not);
    /// what Identity's lockout did, without locking the owner out from her own phone.
    /// </summary>
    public WindowLimit FailedSignInsPerLogin { get; set; } = new() { PermitLimit = 5, Window = TimeSpan.FromMinutes(15) };

    /// <summary>
    /// Reads per signed-in user, so one account flooding the search cannot slow everyone else down. Generous: a
    /// page with its images is a few dozen reads.
    /// </summary>
    public WindowLimit ReadsPerUser { get; set; } = new() { PermitLimit = 600, Window = TimeSpan.FromMinutes(1) };

    /// <summary>
    /// Reads by anyone not signed in, per client IP. Generous: a beach full of tourists may share one mobile
    /// carrier's address.
    /// </summary>
    public WindowLimit AnonymousReadsPerIp { get; set; } = new() { PermitLimit = 600, Window = TimeSpan.FromMinutes(1) };

    /// <summary>
    /// New guests per client IP: a basket change by someone not signed in and without a guest cookie starts a guest and
    /// her basket. Enough for a family or a tour bus behind one address; not for a script filling the database.
    /// </summary>
    public WindowLimit NewGuestsPerIp { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(10) };

    /// <summary>State-changing requests per signed-in user.</summary>
    public WindowLimit WritesPerUser { get; set; } = new() { PermitLimit = 120, Window = TimeSpan.FromMinutes(1) };
}

public static class RateLimits
{
    public static IServiceCollection AddGatewayRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FixedWindowCounters>();
        services.AddSingleton<AccountAttemptLimiter>();
        return services;
    }

    /// <summary>Sign-in, registration, reset, invitations and tokens: limited per client address as well.</summary>
    public static TBuilder RequireAccountRateLimit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(AccountRateLimited.Instance);

    /// <summary>
    /// Anonymous reads per address, signed-in reads and writes per user, account endpoints per address. After authentication
    /// (the user decides the partition) and routing (the endpoint says whether it is an account endpoint).
    /// </summary>
    public static IApplicationBuilder UseGatewayRateLimits(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var counters = http.RequestServices.GetRequiredService<FixedWindowCounters>();
            var limits = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
            var refused = http.GetEndpoint()?.Metadata.GetMetadata<AccountRateLimited>() is not null
                ? counters.TryCount($"ip:{ClientAddress(http)}", limits.AccountPerIp)
                : null;
            if (refused is null)
            {
                if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
                {
                    refused = http.User.UserId() is { } reader
                        ? counters.TryCount($"user-reads:{reader}", limits.ReadsPerUser)
                        : counters.TryCount($"reads:{ClientAddress(http)}", limits.AnonymousReadsPerIp);
                }
                else if (http.User.UserId() is { } userId)
                {
                    refused = counters.TryCount($"writes:{userId}", limits.WritesPerUser);
                }
                else if (StartsGuest(http))
                {
                    refused = counters.TryCount($"new-guests:{ClientAddress(http)}", limits.NewGuestsPerIp);
                }
            }

            if (refused is { } retryAfter)
            {
                await TooManyRequests(http, retryAfter).ExecuteAsync(http);
                return;
            }

            await next(http);
        });

    /// <summary>A basket change with no guest cookie: Orders answers it by starting a new guest (see docs/orders.md).</summary>
    private static bool StartsGuest(HttpContext http) =>
        http.Request.Path.StartsWithSegments("/api/orders/baskets", StringComparison.OrdinalIgnoreCase)
        && !Guid.TryParse(http.Request.Cookies[GuestCookie.Name], out _);

    public static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

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
/// Limits attempts on one account from one client, and wrong passwords for it from that client. Keyed by login and
/// address, never by the login alone: five wrong passwords from a stranger's phone must not keep the owner (or the
/// platform admin) out from hers. Known and unknown logins are counted and answered alike, so the answers tell nobody
/// whether an account exists. The per-address limit on account endpoints bounds how many logins one client tries.
/// </summary>
public sealed class AccountAttemptLimiter(FixedWindowCounters counters, IOptions<RateLimitOptions> options)
{
    /// <summary>A 429 answer when this login has had too many attempts, or wrong passwords, from here; otherwise null.</summary>
    public ProblemHttpResult? Refuse(HttpContext http, string? login)
    {
        var key = Key(http, login);
        if (key is null)
        {
            return null;
        }

        var retryAfter = counters.Peek($"failed:{key}", options.Value.FailedSignInsPerLogin)
            ?? counters.TryCount($"login:{key}", options.Value.AccountPerLogin);
        return retryAfter is { } wait ? RateLimits.TooManyRequests(http, wait) : null;
    }

    /// <summary>Counts a wrong password (or an unknown login) for this login from this client.</summary>
    public void Failed(HttpContext http, string? login)
    {
        if (Key(http, login) is { } key)
        {
            counters.TryCount($"failed:{key}", options.Value.FailedSignInsPerLogin);
        }
    }

    private static string? Key(HttpContext http, string? login)
    {
        var name = Accounts.SignInName.Key(login);
        return name.Length == 0 ? null : $"{name}|{RateLimits.ClientAddress(http)}";
    }
}

/// <summary>Marks an endpoint limited per client address (see <see cref="RateLimits.RequireAccountRateLimit"/>).</summary>
public sealed class AccountRateLimited
{
    public static readonly AccountRateLimited Instance = new();

    private AccountRateLimited()
    {
    }
}

/// <summary>
/// Fixed windows per key, with no timer: a window restarts with the first request after it ended, and windows that
/// ended are dropped while counting, at most once per minute. ASP.NET Core's partitioned limiters each run a
/// 100 ms heartbeat of their own, thirty wakeups a second on an idle Gateway with three of them.
/// </summary>
public sealed class FixedWindowCounters(TimeProvider clock)
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _nextSweep;

    /// <summary>Counts a request for <paramref name="key"/>: null if it may pass, else how long until its window ends.</summary>
    public TimeSpan? TryCount(string key, WindowLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        var now = clock.GetUtcNow().UtcTicks;
        SweepIfDue(now);
        var window = _windows.GetOrAdd(key, static (_, state) => new Window(state.now, state.length), (now, length: limit.Window.Ticks));
        lock (window)
        {
            if (now - window.Start >= window.Length)
            {
                window.Start = now;
                window.Length = limit.Window.Ticks;
                window.Count = 0;
            }

            if (window.Count < limit.PermitLimit)
            {
                window.Count++;
                return null;
            }

            return TimeSpan.FromTicks(window.Start + window.Length - now);
        }
    }

    /// <summary>Whether <paramref name="key"/>'s window is full, without counting: null if not, else how long until it ends.</summary>
    public TimeSpan? Peek(string key, WindowLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        if (!_windows.TryGetValue(key, out var window))
        {
            return null;
        }

        var now = clock.GetUtcNow().UtcTicks;
        lock (window)
        {
            return now - window.Start < window.Length && window.Count >= limit.PermitLimit
                ? TimeSpan.FromTicks(window.Start + window.Length - now)
                : null;
        }
    }

    /// <summary>How many keys are counted now (ended windows not yet dropped included).</summary>
    public int Count => _windows.Count;

    private void SweepIfDue(long now)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + SweepEvery.Ticks, due) != due)
        {
            return;
        }

        foreach (var (key, window) in _windows)
        {
            lock (window)
            {
                if (now - window.Start >= window.Length)
                {
                    _windows.TryRemove(new KeyValuePair<string, Window>(key, window));
                }
            }
        }
    }

    private sealed class Window(long start, long length)
    {
        public long Start { get; set; } = start;

        public long Length { get; set; } = length;

        public int Count { get; set; }
    }
}
