using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Testing;

/// <summary>
/// Hosts one real service in the test process against the test's own databases and virtual host, with
/// the token keys of <see cref="Tokens"/>. Several may run side by side (two replicas, or Catalog and Orders).
/// </summary>
public sealed class ServiceHost<TProgram>(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? testServices = null)
    : WebApplicationFactory<TProgram>
    where TProgram : class
{
    private int? _port;
    private IReadOnlyCollection<Type> _contextTypes = [];

    /// <summary>
    /// Serves on a real port with Kestrel. The port is given to the app as its URL rather than through
    /// <c>UseKestrel(port)</c>, whose address rewrite races with Kestrel's own start (dotnet/aspnetcore#67714).
    /// </summary>
    public void ListenOn(int port)
    {
        _port = port;
        UseKestrel();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        if (_port is { } port)
        {
            builder.UseUrls($"http://127.0.0.1:{port}");
        }

        if (testServices is not null)
        {
            builder.ConfigureTestServices(testServices);
        }

        builder.ConfigureTestServices(services => _contextTypes = [.. services
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(DbContextOptions<>))
            .Select(d => d.ServiceType.GenericTypeArguments[0])
            .Distinct()]);

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Starts the service on copies of already migrated databases where there are some (<see cref="TemplateDatabases"/>).</summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var databases = settings
            .Where(s => s.Key.StartsWith("ConnectionStrings:", StringComparison.OrdinalIgnoreCase) && s.Value?.Contains("Database=", StringComparison.OrdinalIgnoreCase) == true)
            .Select(s => s.Value!)
            .ToList();
        TemplateDatabases.CloneWhereReady(typeof(TProgram), databases);
        var host = base.CreateHost(builder);
        TemplateDatabases.MakeMissing(typeof(TProgram), host.Services, _contextTypes, databases);
        return host;
    }

    public T GetRequired<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public AsyncServiceScope CreateScope() => Services.CreateAsyncScope();

    /// <summary>
    /// Stops the service, but gives up after a minute: MassTransit 8.5 can wait forever for a receive endpoint
    /// to stop after the broker was restarted under it, and one stuck host must not hang the whole run.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine($"{typeof(TProgram).Namespace} did not stop within a minute; left behind.");
        }
    }
}

/// <summary>Settings shared by every service under test.</summary>
public static class ServiceSettings
{
    public static Dictionary<string, string?> For(TestScope scope, ServiceTokenIssuer tokens, string? instance = null) => new()
    {
        ["ConnectionStrings:rabbitmq"] = scope.RabbitMqConnectionString,
        ["ServiceTokens:Jwks"] = tokens.PublicJwks,
        ["ServiceTokens:Issuer"] = tokens.Issuer,
        ["ServiceTokens:Audience"] = tokens.Audience,
        ["Messaging:Outbox:PollInterval"] = "00:00:00.200",
        ["Messaging:Outbox:MaxRetryDelay"] = "00:00:01",
        ["Messaging:Retry:RetryIntervals:0"] = "00:00:00.050",
        ["Messaging:Retry:RedeliveryDelays:0"] = "00:00:00.500",
        // Catalog's searches share the machine with every other test: 1.5 s was once not enough.
        ["Search:StatementTimeout"] = "00:00:10",
        // A page's reads likewise: a search that once took 2 s under the suite's load showed the error page.
        // HungServicePageTests and PageOutageTests keep the production budget.
        ["Storefront:Reads:Budget"] = "00:00:15",
        ["Storefront:Reads:AttemptTimeout"] = "00:00:07",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Error",
        ["OTEL_SERVICE_NAME"] = instance,
    };

    /// <summary>Web's page reads as in production (1.7 s a page), for the tests of what the budget does.</summary>
    public static Dictionary<string, string?> WithProductionPageReads(this Dictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Remove("Storefront:Reads:Budget");
        settings.Remove("Storefront:Reads:AttemptTimeout");
        return settings;
    }
}

/// <summary>Token helpers for tests: the same issuer the Gateway uses, with a key made for the test.</summary>
public static class TestTokens
{
    public static readonly ServiceTokenIssuer Issuer = ServiceTokenIssuer.CreateWithNewKey();

    public static string PlatformAdmin() =>
        Issuer.Mint(new ServiceCaller(Guid.NewGuid(), [MarketplaceRoles.PlatformAdmin]));

    public static string CooperativeAdmin(Guid cooperativeId) =>
        Issuer.Mint(new ServiceCaller(Guid.NewGuid(), [MarketplaceRoles.CooperativeAdmin], [cooperativeId]));

    public static string Member(Guid cooperativeId, Guid memberId) =>
        Issuer.Mint(new ServiceCaller(Guid.NewGuid(), [MarketplaceRoles.Member], [cooperativeId], memberId));

    public static string Shopper() =>
        Issuer.Mint(new ServiceCaller(Guid.NewGuid(), [MarketplaceRoles.Shopper]));

    public static HttpClient WithToken(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
