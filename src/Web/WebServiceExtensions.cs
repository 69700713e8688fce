using System.IO.Compression;
using Marketplace.Web.Api;
using Marketplace.Web.Localization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;

namespace Marketplace.Web;

public static class WebServiceExtensions
{
    /// <summary>One try of a write: the resilience handler's default, written here beside the reads' shorter one.</summary>
    private static readonly TimeSpan WriteAttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Server-rendered pages (no WebAssembly, no circuit: each page works before any script), the clients of the
    /// services' APIs that act for the browser, and compression for pages that travel over weak 4G.
    /// </summary>
    public static IHostApplicationBuilder AddWeb(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        // Web's forms are posted by people: a form that cannot be read answers 400 with the status page in her
        // language (MapDefaultEndpoints' status pages), not the problem body the services answer with.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<Lang>();
        builder.Services.AddScoped<CooperativeZones>();
        builder.Services.AddScoped<VisitorCurrency>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<StorefrontOptions>().BindConfiguration(StorefrontOptions.SectionName);
        AddKeyRing(builder.Services, builder.Configuration["DataProtection:KeyFolder"]);

        var reads = builder.Configuration.GetSection(PageReadOptions.SectionName).Get<PageReadOptions>() ?? new PageReadOptions();
        AddApi<CatalogApi>(builder, "http://catalog", RelayTarget.Service, reads);
        AddApi<OrdersApi>(builder, "http://orders", RelayTarget.Service, reads);
        AddApi<SettlementApi>(builder, "http://orders", RelayTarget.Service, reads);
        AddApi<NotificationsApi>(builder, "http://notifications", RelayTarget.Service, reads);
        AddApi<AccountApi>(builder, "http://gateway", RelayTarget.Gateway, reads);

        // Named apart from the Gateway's (".AspNetCore.Antiforgery.*"), which the relay passes on to the Gateway.
        builder.Services.AddAntiforgery(options => options.Cookie.Name = "web.antiforgery");

        // Web is reached only through the Gateway (its network policy lets nothing else in): the address the shopper
        // used, and whether it was https, come from the Gateway's X-Forwarded headers, so redirects and links
        // point at the Gateway and never at Web's own address.
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedProto;
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
        });

        builder.Services.AddResponseCompression(options =>
        {
            // Pages carry no secrets that a compression side channel could reveal to a third party, except the
            // antiforgery token, which is masked per response.
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["image/svg+xml"]);
        });
        builder.Services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        return builder;
    }

    /// <summary>
    /// The keys that protect the forms' antiforgery tokens. A form drawn by one replica is often posted to another, so
    /// with more than one replica they share a key ring, read from a folder (a mounted secret) and never changed by
    /// the replicas themselves. Without one, each process makes its own (enough for one replica and for tests).
    /// </summary>
    public static IDataProtectionBuilder AddKeyRing(IServiceCollection services, string? keyFolder)
    {
        var protection = services.AddDataProtection().SetApplicationName("marketplace-web");
        if (!string.IsNullOrEmpty(keyFolder))
        {
            protection.PersistKeysToFileSystem(new DirectoryInfo(keyFolder)).DisableAutomaticKeyGeneration();
        }

        return protection;
    }

    /// <summary>Writes a new key ring into a folder, for the replicas' shared secret; valid for two years.</summary>
    public static string CreateKeyRing(string folder)
    {
        Directory.CreateDirectory(folder);
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("marketplace-web").PersistKeysToFileSystem(new DirectoryInfo(folder));
        using var provider = services.BuildServiceProvider();
        var now = DateTimeOffset.UtcNow;
        var key = provider.GetRequiredService<Microsoft.AspNetCore.DataProtection.KeyManagement.IKeyManager>().CreateNewKey(now, now.AddYears(2));
        return Path.Combine(folder, $"key-{key.KeyId}.xml");
    }

    private static void AddApi<TClient>(IHostApplicationBuilder builder, string baseAddress, RelayTarget target, PageReadOptions reads)
        where TClient : class
    {
        // Replacing the default resilience handler is the documented way to change its retry rule for some clients.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient<TClient>(client =>
            {
                client.BaseAddress = new Uri(baseAddress);
                client.Timeout = TimeSpan.FromSeconds(30);
            })
            // The handlers are shared by every shopper's requests: they must not keep cookies of their own, or one
            // shopper's guest basket would travel with the next one's calls. ApiRelay sets each call's cookies.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseCookies = false })
            .AddHttpMessageHandler(sp => new ApiRelay(sp.GetRequiredService<IHttpContextAccessor>(), target, reads))
            .RemoveAllResilienceHandlers()
            // A checkout or a refund that timed out may have happened: it is never sent again on its own. A read is
            // tried again once, soon: a service that is down answers fast, and more tries (the default: three, 2 s
            // apart and doubling, waiting out a Retry-After) only add load to it and kept a page waiting 6-9 s. A
            // page's reads share one time budget on top (PageReadOptions.Budget).
            .AddStandardResilienceHandler(options =>
            {
                options.Retry.DisableForUnsafeHttpMethods();
                options.Retry.MaxRetryAttempts = 1;
                options.Retry.Delay = TimeSpan.FromMilliseconds(200);
                options.Retry.BackoffType = Polly.DelayBackoffType.Constant;
                options.Retry.ShouldRetryAfterHeader = false;
                // A read that hangs (a service stuck on its database) is given up after PageReadOptions.AttemptTimeout and
                // tried once more within the page's budget; a write keeps the default ten seconds: cut off, it may have
                // happened all the same.
                options.AttemptTimeout.TimeoutGenerator = args =>
                {
                    var method = Polly.HttpResilienceContextExtensions.GetRequestMessage(args.Context)?.Method;
                    return ValueTask.FromResult(method == HttpMethod.Get || method == HttpMethod.Head ? reads.AttemptTimeout : WriteAttemptTimeout);
                };
            });
#pragma warning restore EXTEXP0001
    }
}

public sealed class StorefrontOptions
{
    public const string SectionName = "Storefront";

    /// <summary>The cooperative whose story and products the home page shows.</summary>
    public string CooperativeSlug { get; set; } = "koperasi-wanita-pantai-binor";
}
