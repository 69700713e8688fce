using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Catalog.Cooperatives;
using Marketplace.LocalInfrastructure;
using Marketplace.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>
/// The Gateway in front of Catalog and Orders, on real ports, as they run: the services trust only the keys the
/// Gateway publishes, and every request in these tests goes through the Gateway with a real account.
/// </summary>
public sealed class GatewayStack : IAsyncLifetime, IAsyncDisposable
{
    public const string PlatformAdminEmail = "platform@binor.test";
    public const string PlatformAdminPassword = "platform-admin-rahasia";

    private ServiceHost<Gateway.Program> _gateway = null!;
    private ServiceHost<Catalog.Program> _catalog = null!;
    private ServiceHost<Orders.Program> _orders = null!;
    private ServiceHost<StripeEmulator.Program>? _stripe;
    private ServiceHost<Marketplace.Web.Program>? _web;
    private ServiceHost<Marketplace.Notifications.Program>? _notifications;
    private ServiceHost<Marketplace.WhatsAppEmulator.Program>? _whatsApp;

    public Uri GatewayAddress { get; private set; } = null!;

    public Uri CatalogAddress { get; private set; } = null!;

    public ServiceHost<Gateway.Program> Gateway => _gateway;

    /// <summary>Orders (with Settlement): a test may publish on its bus what another service would.</summary>
    public ServiceHost<Orders.Program> OrdersHost => _orders;

    /// <summary>How many guest baskets Orders lets one address open in its window (generous unless a test says).</summary>
    public string OrdersGuestBasketLimit { get; init; } = "1000000";

    /// <summary>Settings a test class may change before the stack starts (limits, lifetimes).</summary>
    public Dictionary<string, string?> GatewayOverrides { get; } = new()
    {
        // Generous: these tests sign in often from one address. The limits have their own tests.
        ["RateLimits:AccountPerIp:PermitLimit"] = "10000",
        ["RateLimits:AccountPerLogin:PermitLimit"] = "10000",
        ["RateLimits:AnonymousReadsPerIp:PermitLimit"] = "100000",
        ["RateLimits:WritesPerUser:PermitLimit"] = "100000",
        ["RateLimits:ReadsPerUser:PermitLimit"] = "100000",
        ["RateLimits:NewGuestsPerIp:PermitLimit"] = "100000",
    };

    public bool WithServices { get; set; } = true;

    /// <summary>The Gateway takes in the messages of this test's <c>_error</c> queues (off elsewhere, so no other test's vanish).</summary>
    public bool WithDeadLetterIntake { get; set; }

    /// <summary>This stack's databases and RabbitMQ virtual host.</summary>
    public TestScope Scope { get; private set; } = null!;

    /// <summary>Also the Web app behind the Gateway, and the Stripe emulator for Orders to take card payments through.</summary>
    public bool WithStorefront { get; set; }

    public const string WebhookSecret = "whsec_storefront_tests";

    public Uri? StripeAddress { get; private set; }

    /// <summary>The WhatsApp emulator's address, with the storefront: <c>/_emulator/messages?to=</c> reads what was sent.</summary>
    public Uri? WhatsAppAddress { get; private set; }

    /// <summary>The SMTP server Notifications sends email to, with the storefront; read it back through its inbox.</summary>
    public TestMail? Mail { get; private set; }

    public async Task InitializeAsync()
    {
        var scope = await TestScope.CreateAsync();
        Scope = scope;
        var gatewayPort = FreePorts.Next();
        var catalogPort = FreePorts.Next();
        var ordersPort = FreePorts.Next();
        GatewayAddress = new Uri($"http://127.0.0.1:{gatewayPort}");
        CatalogAddress = new Uri($"http://127.0.0.1:{catalogPort}");

        var gatewaySettings = ServiceSettings.For(scope, TestTokens.Issuer, "gateway");
        gatewaySettings["ConnectionStrings:gatewaydb"] = scope.Database("gateway");
        gatewaySettings["Services:catalog:http:0"] = CatalogAddress.ToString().TrimEnd('/');
        gatewaySettings["Services:orders:http:0"] = WithServices ? $"http://127.0.0.1:{ordersPort}" : "http://127.0.0.1:1";
        var webPort = WithStorefront ? FreePorts.Next() : 1;
        gatewaySettings["Services:web:http:0"] = $"http://127.0.0.1:{webPort}";
        var notificationsPort = WithStorefront ? FreePorts.Next() : 1;
        gatewaySettings["Services:notifications:http:0"] = $"http://127.0.0.1:{notificationsPort}";
        gatewaySettings["Accounts:PlatformAdminEmail"] = PlatformAdminEmail;
        gatewaySettings["Accounts:PlatformAdminPassword"] = PlatformAdminPassword;
        gatewaySettings["Accounts:SessionRevalidationInterval"] = "00:00:00";
        gatewaySettings["Accounts:PublicBaseUrl"] = GatewayAddress.ToString();
        if (WithDeadLetterIntake)
        {
            gatewaySettings["DeadLetters:ManagementUrl"] = scope.ManagementUrl.ToString();
            gatewaySettings["DeadLetters:Interval"] = "00:00:00.500";
        }

        foreach (var (key, value) in GatewayOverrides)
        {
            gatewaySettings[key] = value;
        }

        _gateway = new ServiceHost<Gateway.Program>(gatewaySettings);
        _gateway.ListenOn(gatewayPort);
        _gateway.StartServer();

        if (WithServices)
        {
            var jwks = $"{GatewayAddress}internal/jwks";
            var catalogSettings = ServiceSettings.For(scope, TestTokens.Issuer, "catalog");
            catalogSettings["ConnectionStrings:catalogdb"] = scope.Database("catalog");
            catalogSettings["ServiceTokens:Jwks"] = null;
            catalogSettings["ServiceTokens:JwksUri"] = jwks;
            _catalog = new ServiceHost<Catalog.Program>(catalogSettings);
            _catalog.ListenOn(catalogPort);

            var ordersSettings = ServiceSettings.For(scope, TestTokens.Issuer, "orders");
            ordersSettings["ConnectionStrings:ordersdb"] = scope.Database("orders");
            // Every page and test here is a guest from this machine's one address (the limit: GuestBasketFloodTests).
            ordersSettings["GuestBaskets:PermitLimit"] = OrdersGuestBasketLimit;
            ordersSettings["ServiceTokens:Jwks"] = null;
            ordersSettings["ServiceTokens:JwksUri"] = jwks;
            if (WithStorefront)
            {
                Mail = await TestInfrastructure.GetSharedMailAsync();
                StartStorefront(scope, ordersSettings, catalogPort, ordersPort, webPort, notificationsPort, jwks);
            }

            _orders = new ServiceHost<Orders.Program>(ordersSettings);
            _orders.ListenOn(ordersPort);
            _catalog.StartServer();
            _orders.StartServer();
            using var probe = new HttpClient();
            await Eventually.TrueAsync(
                async () => (await probe.GetAsync(new Uri(CatalogAddress, "/health/ready"))).IsSuccessStatusCode
                    && (await probe.GetAsync(new Uri($"http://127.0.0.1:{ordersPort}/health/ready"))).IsSuccessStatusCode,
                TimeSpan.FromSeconds(60),
                "Catalog and Orders to be ready");
        }
    }

    /// <summary>
    /// The Stripe emulator posting signed webhooks to the Gateway, Notifications sending through the WhatsApp emulator
    /// (which reports back through the Gateway), and Web reading the services as the browser's agent.
    /// </summary>
    private void StartStorefront(TestScope scope, Dictionary<string, string?> ordersSettings, int catalogPort, int ordersPort, int webPort, int notificationsPort, string jwks)
    {
        var whatsAppPort = FreePorts.Next();
        WhatsAppAddress = new Uri($"http://127.0.0.1:{whatsAppPort}");
        var whatsApp = new Dictionary<string, string?>
        {
            ["WhatsAppEmulator:AccessToken"] = "storefront-whatsapp-token",
            ["WhatsAppEmulator:AppSecret"] = "storefront-whatsapp-secret",
            ["WhatsAppEmulator:WebhookUrl"] = $"{GatewayAddress}webhooks/whatsapp",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        EmulatorTemplates.AddTo(whatsApp);

        _whatsApp = new ServiceHost<Marketplace.WhatsAppEmulator.Program>(whatsApp);
        _whatsApp.ListenOn(whatsAppPort);
        _whatsApp.StartServer();
        var notificationsSettings = ServiceSettings.For(scope, TestTokens.Issuer, "notifications");
        notificationsSettings["ConnectionStrings:notificationsdb"] = scope.Database("notifications");
        notificationsSettings["ServiceTokens:Jwks"] = null;
        notificationsSettings["ServiceTokens:JwksUri"] = jwks;
        notificationsSettings["WhatsApp:ApiBase"] = WhatsAppAddress.ToString().TrimEnd('/');
        notificationsSettings["WhatsApp:PhoneNumberId"] = "100000000000001";
        notificationsSettings["WhatsApp:AccessToken"] = "storefront-whatsapp-token";
        notificationsSettings["WhatsApp:AppSecret"] = "storefront-whatsapp-secret";
        notificationsSettings["Notifications:PublicBaseUrl"] = GatewayAddress.ToString();
        notificationsSettings["Email:Host"] = Mail!.Host;
        notificationsSettings["Email:Port"] = Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        notificationsSettings["Email:Security"] = "None";
        notificationsSettings["Email:FromAddress"] = "toko@pantaibinor.test";
        _notifications = new ServiceHost<Marketplace.Notifications.Program>(notificationsSettings);
        _notifications.ListenOn(notificationsPort);
        _notifications.StartServer();

        var stripePort = FreePorts.Next();
        StripeAddress = new Uri($"http://127.0.0.1:{stripePort}");
        _stripe = new ServiceHost<StripeEmulator.Program>(new Dictionary<string, string?>
        {
            ["Emulator:WebhookUrl"] = $"{GatewayAddress}webhooks/stripe",
            ["Emulator:WebhookSecret"] = WebhookSecret,
            ["Emulator:WebhookRetryDelays:0"] = "00:00:00.200",
            ["Emulator:WebhookRetryDelays:1"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        _stripe.ListenOn(stripePort);
        _stripe.StartServer();
        ordersSettings["Stripe:SecretKey"] = "sk_test_storefront";
        ordersSettings["Stripe:ApiBase"] = StripeAddress.ToString().TrimEnd('/');
        ordersSettings["Stripe:WebhookSecret"] = WebhookSecret;
        ordersSettings["Stripe:PublicBaseUrl"] = GatewayAddress.ToString();

        var webSettings = ServiceSettings.For(scope, TestTokens.Issuer, "web");
        webSettings["ServiceTokens:Jwks"] = null;
        webSettings["ServiceTokens:JwksUri"] = jwks;
        webSettings["Services:catalog:http:0"] = $"http://127.0.0.1:{catalogPort}";
        webSettings["Services:orders:http:0"] = $"http://127.0.0.1:{ordersPort}";
        webSettings["Services:notifications:http:0"] = $"http://127.0.0.1:{notificationsPort}";
        webSettings["Services:gateway:http:0"] = GatewayAddress.ToString().TrimEnd('/');
        _web = new ServiceHost<Marketplace.Web.Program>(webSettings);
        _web.ListenOn(webPort);
        _web.StartServer();
    }

    public async Task DisposeAsync()
    {
        if (_web is not null)
        {
            await _web.DisposeAsync();
        }

        if (_stripe is not null)
        {
            await _stripe.DisposeAsync();
        }

        if (_notifications is not null)
        {
            await _notifications.DisposeAsync();
        }

        if (_whatsApp is not null)
        {
            await _whatsApp.DisposeAsync();
        }

        if (WithServices)
        {
            await _orders.DisposeAsync();
            await _catalog.DisposeAsync();
        }

        await _gateway.DisposeAsync();
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    /// <summary>A browser: keeps its cookies, and sends the antiforgery token once it has one.</summary>
    public Browser NewBrowser() => new(GatewayAddress);

    /// <summary>An API client without cookies.</summary>
    public HttpClient NewApiClient() => new() { BaseAddress = GatewayAddress };

    public async Task<Browser> SignedInPlatformAdminAsync()
    {
        var browser = NewBrowser();
        await browser.SignInAsync(PlatformAdminEmail, PlatformAdminPassword);
        return browser;
    }

    /// <summary>Registers a cooperative through the Gateway and waits until the Gateway has heard of it.</summary>
    public async Task<CooperativeResponse> RegisterCooperativeAsync(Browser platformAdmin, string slug)
    {
        var response = await platformAdmin.Http.PostAsJsonAsync("/api/catalog/cooperatives", new { slug, name = $"Koperasi {slug}", feePercent = 10m });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var cooperative = (await response.Content.ReadFromJsonAsync<CooperativeResponse>())!;
        await Eventually.TrueAsync(
            async () =>
            {
                await using var scope = _gateway.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<Gateway.Data.GatewayDbContext>();
                return await db.Cooperatives.FindAsync(cooperative.Id) is not null;
            },
            TimeSpan.FromSeconds(30),
            "the Gateway to learn of the cooperative");
        return cooperative;
    }

    /// <summary>Invites someone into a cooperative and returns the code.</summary>
    public static async Task<string> InviteAsync(Browser inviter, Guid cooperativeId, string kind, string? name = null)
    {
        var response = await inviter.Http.PostAsJsonAsync("/api/account/invitations", new { cooperativeId, kind, inviteeName = name });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("code").GetString()!;
    }

    /// <summary>Accepts an invitation as a new account, in a fresh browser that ends up signed in.</summary>
    public async Task<(Browser Browser, JsonElement Account)> JoinAsync(string code, string displayName, string email, string password = "kata-sandi-anggota")
    {
        var browser = NewBrowser();
        var response = await browser.Http.PostAsJsonAsync("/api/account/invitations/accept", new { code, displayName, email, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var account = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        browser.RememberAntiforgeryToken(account);
        return (browser, account);
    }

    /// <summary>A new cooperative with an admin and one member, all through the Gateway; the member is known to Catalog.</summary>
    public async Task<CooperativeParty> CooperativeWithAdminAndMemberAsync(Browser platformAdmin, string slug)
    {
        var cooperative = await RegisterCooperativeAsync(platformAdmin, slug);
        var adminCode = await InviteAsync(platformAdmin, cooperative.Id, "Admin", "Bu Ketua");
        var (admin, _) = await JoinAsync(adminCode, "Bu Ketua", $"ketua@{slug}.test");
        var memberCode = await InviteAsync(admin, cooperative.Id, "Member", "Bu Siti");
        var (member, account) = await JoinAsync(memberCode, "Bu Siti", $"siti@{slug}.test");
        var memberId = account.GetProperty("memberId").GetGuid();
        await Eventually.TrueAsync(
            async () => (await admin.Http.GetAsync(new Uri($"/api/catalog/members/{memberId}", UriKind.Relative))).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30),
            "Catalog to learn of the member");
        return new CooperativeParty(cooperative, admin, member, memberId);
    }

    /// <summary>
    /// The messages of one type the Gateway has published to RabbitMQ (its outbox rows, once dispatched), oldest first:
    /// what the other services hear from it.
    /// </summary>
    public async Task<List<T>> PublishedAsync<T>()
        where T : class
    {
        await using var scope = _gateway.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Gateway.Data.GatewayDbContext>();
        var type = $"{typeof(T).FullName}, {typeof(T).Assembly.GetName().Name}";
        var rows = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.Set<Marketplace.ServiceDefaults.Messaging.OutboxMessage>().Where(m => m.MessageType == type && m.DispatchedAt != null).OrderBy(m => m.Sequence));
        return rows.Select(r => JsonSerializer.Deserialize<T>(r.Body, PublishedJson)!).ToList();
    }

    private static readonly JsonSerializerOptions PublishedJson = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
}

public sealed record CooperativeParty(CooperativeResponse Cooperative, Browser Admin, Browser Member, Guid MemberId);

/// <summary>A browser session against the Gateway: a cookie jar and the antiforgery header.</summary>
public sealed class Browser : IDisposable
{
    public Browser(Uri gateway)
    {
        Cookies = new CookieContainer();
        Http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = gateway };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http { get; }

    public async Task<HttpResponseMessage> TrySignInAsync(string login, string password)
    {
        var response = await Http.PostAsJsonAsync("/api/account/sign-in", new { login, password });
        if (response.IsSuccessStatusCode)
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            RememberAntiforgeryToken(body.RootElement);
        }

        return response;
    }

    /// <summary>Sign-in, registration and accepting an invitation answer with the token for the new session.</summary>
    public void RememberAntiforgeryToken(JsonElement account)
    {
        Http.DefaultRequestHeaders.Remove("X-XSRF-TOKEN");
        Http.DefaultRequestHeaders.Add("X-XSRF-TOKEN", account.GetProperty("antiforgeryToken").GetString());
    }

    public async Task SignInAsync(string login, string password)
    {
        var response = await TrySignInAsync(login, password);
        Assert.True(response.IsSuccessStatusCode, $"sign-in as {login}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public void Dispose() => Http.Dispose();
}
