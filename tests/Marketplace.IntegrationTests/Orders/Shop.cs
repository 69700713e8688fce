using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Catalog.Cooperatives;
using Marketplace.LocalInfrastructure;
using Marketplace.Orders.Checkout;
using Marketplace.Orders.OrderAggregate;
using Marketplace.Orders;
using MassTransit;
using Marketplace.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>
/// Catalog, Orders and the Stripe emulator on real ports, as in the local run: Orders talks to the emulator through
/// Stripe.net, and the emulator posts signed webhooks back to Orders.
/// </summary>
public sealed class Shop : IAsyncLifetime, IAsyncDisposable
{
    public const string WebhookSecret = "whsec_test_secret_for_orders";
    public ServiceHost<Catalog.Program> Catalog { get; private set; } = null!;


    public ServiceHost<Orders.Program> Orders { get; private set; } = null!;

    public ServiceHost<StripeEmulator.Program> Stripe { get; private set; } = null!;

    public Uri OrdersAddress { get; private set; } = null!;

    public Uri StripeAddress { get; private set; } = null!;

    public Dictionary<string, string?> EmulatorOverrides { get; } = [];

    /// <summary>A RabbitMQ of this shop's own, for a test that stops or restarts it; the shared one otherwise.</summary>
    public RabbitMqServer? OwnBroker { get; init; }

    /// <summary>A PostgreSQL of the test's own (to back up), instead of the shared one.</summary>
    public PostgresServer? OwnPostgres { get; init; }

    /// <summary>Settings for every replica of Catalog and Orders, applied last.</summary>
    public Dictionary<string, string?> ServiceOverrides { get; } = [];

    /// <summary>Settings for the Gateway, applied last.</summary>
    public Dictionary<string, string?> GatewayOverrides { get; } = [];

    /// <summary>How many replicas of Catalog and of Orders run side by side on the same databases and queues.</summary>
    public int Replicas { get; init; } = 1;

    /// <summary>Whether a Gateway stands in front (shoppers then go through it, and Stripe's webhooks too).</summary>
    public bool WithGateway { get; init; }

    public List<ServiceHost<Catalog.Program>> CatalogReplicas { get; } = [];

    public List<ServiceHost<Orders.Program>> OrdersReplicas { get; } = [];

    public ServiceHost<Gateway.Program>? Gateway { get; private set; }

    public Uri? GatewayAddress { get; private set; }

    /// <summary>Messages consumed and requests served, per replica ("catalog-1", "orders-2", ...).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> Handled { get; } = new();

    public TestScope Scope { get; private set; } = null!;

    private Dictionary<string, string?> _ordersSettings = [];

    private int _ordersPort;

    public async Task InitializeAsync()
    {
        var scope = OwnBroker is null && OwnPostgres is null ? await TestScope.CreateAsync() : await TestScope.CreateOnAsync(OwnPostgres, OwnBroker);
        Scope = scope;
        var ordersPorts = Enumerable.Range(0, Replicas).Select(_ => FreePorts.Next()).ToList();
        var catalogPorts = Enumerable.Range(0, Replicas).Select(_ => FreePorts.Next()).ToList();
        var stripePort = FreePorts.Next();
        OrdersAddress = new Uri($"http://127.0.0.1:{ordersPorts[0]}");
        StripeAddress = new Uri($"http://127.0.0.1:{stripePort}");
        if (WithGateway)
        {
            GatewayAddress = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        }

        var stripeSettings = new Dictionary<string, string?>
        {
            ["Emulator:WebhookUrl"] = WithGateway ? $"{GatewayAddress}webhooks/stripe" : $"{OrdersAddress}api/orders/payments/stripe-webhook",
            ["Emulator:WebhookSecret"] = WebhookSecret,
            ["Emulator:WebhookRetryDelays:0"] = "00:00:00.200",
            ["Emulator:WebhookRetryDelays:1"] = "00:00:00.500",
            ["Emulator:WebhookRetryDelays:2"] = "00:00:01",
            ["Emulator:WebhookRetryDelays:3"] = "00:00:02",
            ["Emulator:WebhookRetryDelays:4"] = "00:00:04",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in EmulatorOverrides)
        {
            stripeSettings[key] = value;
        }

        Stripe = new ServiceHost<StripeEmulator.Program>(stripeSettings);
        Stripe.ListenOn(stripePort);
        Stripe.StartServer();

        var catalogSettings = ServiceSettings.For(scope, TestTokens.Issuer, "catalog");
        catalogSettings["ConnectionStrings:catalogdb"] = scope.Database("catalog");
        var ordersSettings = ServiceSettings.For(scope, TestTokens.Issuer, "orders");
        ordersSettings["ConnectionStrings:ordersdb"] = scope.Database("orders");
        ordersSettings["Stripe:SecretKey"] = "sk_test_orders";
        ordersSettings["Stripe:ApiBase"] = StripeAddress.ToString().TrimEnd('/');
        ordersSettings["Stripe:WebhookSecret"] = WebhookSecret;
        // Tests start many guests from this machine's one address; the limit has its own test (GuestBasketFloodTests).
        ordersSettings["GuestBaskets:PermitLimit"] = "1000000";
        foreach (var (key, value) in ServiceOverrides)
        {
            catalogSettings[key] = value;
            ordersSettings[key] = value;
        }

        _ordersSettings = ordersSettings;
        _ordersPort = ordersPorts[0];
        for (var i = 0; i < Replicas; i++)
        {
            var catalog = new ServiceHost<Catalog.Program>(catalogSettings, Counting($"catalog-{i + 1}"));
            catalog.ListenOn(catalogPorts[i]);
            CatalogReplicas.Add(catalog);
            var orders = new ServiceHost<Orders.Program>(ordersSettings, Counting($"orders-{i + 1}"));
            orders.ListenOn(ordersPorts[i]);
            orders.StartServer();
            catalog.StartServer();
            OrdersReplicas.Add(orders);
        }

        Catalog = CatalogReplicas[0];
        Orders = OrdersReplicas[0];
        if (WithGateway)
        {
            var gatewaySettings = ServiceSettings.For(scope, TestTokens.Issuer, "gateway");
            gatewaySettings["ConnectionStrings:gatewaydb"] = scope.Database("gateway");
            for (var i = 0; i < Replicas; i++)
            {
                gatewaySettings[$"Services:catalog:http:{i}"] = $"http://127.0.0.1:{catalogPorts[i]}";
                gatewaySettings[$"Services:orders:http:{i}"] = $"http://127.0.0.1:{ordersPorts[i]}";
            }

            gatewaySettings["Services:web:http:0"] = "http://127.0.0.1:1";
            gatewaySettings["RateLimits:AnonymousReadsPerIp:PermitLimit"] = "1000000";
            gatewaySettings["RateLimits:WritesPerUser:PermitLimit"] = "1000000";
            gatewaySettings["RateLimits:NewGuestsPerIp:PermitLimit"] = "1000000";
            foreach (var (key, value) in GatewayOverrides)
            {
                gatewaySettings[key] = value;
            }

            Gateway = new ServiceHost<Gateway.Program>(gatewaySettings);
            Gateway.ListenOn(GatewayAddress!.Port);
            Gateway.StartServer();
        }

        using var probe = new HttpClient();
        await Eventually.TrueAsync(
            async () =>
            {
                foreach (var port in catalogPorts.Concat(ordersPorts))
                {
                    if (!(await probe.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"))).IsSuccessStatusCode)
                    {
                        return false;
                    }
                }

                return true;
            },
            TimeSpan.FromSeconds(90),
            "Catalog and Orders to be ready");
    }

    /// <summary>Counts what each replica handles: messages consumed and requests served.</summary>
    private Action<IServiceCollection> Counting(string replica) => services =>
    {
        services.AddConsumeObserver(_ => new ReplicaConsumeCounter(Handled, replica));
        services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new ReplicaRequestCounter(Handled, replica));
    };

    public async Task DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        foreach (var orders in OrdersReplicas.Skip(1))
        {
            await orders.DisposeAsync();
        }

        foreach (var catalog in CatalogReplicas.Skip(1))
        {
            await catalog.DisposeAsync();
        }

        await Orders.DisposeAsync();
        await Catalog.DisposeAsync();
        await Stripe.DisposeAsync();
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    /// <summary>Stops Orders (its port stops answering), runs <paramref name="whileDown"/>, then starts it again on the same port and database.</summary>
    public async Task RestartOrdersAsync(Func<Task> whileDown)
    {
        ArgumentNullException.ThrowIfNull(whileDown);
        await Orders.DisposeAsync();
        await whileDown();
        Orders = new ServiceHost<Orders.Program>(_ordersSettings);
        Orders.ListenOn(_ordersPort);
        Orders.StartServer();
        using var probe = new HttpClient();
        await Eventually.TrueAsync(
            async () => (await probe.GetAsync(new Uri(OrdersAddress, "/health/ready"))).IsSuccessStatusCode,
            TimeSpan.FromSeconds(60),
            "Orders to be ready again");
    }

    /// <summary>A shopper's browser talking to Orders (through the Gateway when there is one): keeps the guest cookie.</summary>
    public HttpClient NewShopper(string? token = null)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = token is null ? GatewayAddress ?? OrdersAddress : OrdersAddress };
        return token is null ? client : client.WithToken(token);
    }

    public HttpClient StripeClient() => new() { BaseAddress = StripeAddress };

    /// <summary>
    /// A cooperative selling one product (stock as given) by card and at the kiosk, open every day 08:00-17:00,
    /// shipping to zone "jawa".
    /// </summary>
    /// <summary>
    /// A cooperative selling one product. Its caps on open unpaid orders and its share per order are lifted unless
    /// <paramref name="holdLimits"/>: most tests order many times from one address with one number, and the caps have
    /// their own tests (HoldLimitTests, CardHoldLimitTests).
    /// </summary>
    public async Task<Stall> OpenStallAsync(string slug, int stock = 10, long price = 25_000, bool connectStripe = true, bool holdLimits = false)
    {
        var platform = Catalog.CreateClient().WithToken(TestTokens.PlatformAdmin());
        var registered = await platform.PostAsJsonAsync("/api/catalog/cooperatives", new { slug, name = $"Koperasi {slug}", feePercent = 10m });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var cooperative = (await registered.Content.ReadFromJsonAsync<CooperativeResponse>())!;
        var catalogAdmin = Catalog.CreateClient().WithToken(TestTokens.CooperativeAdmin(cooperative.Id));
        var hours = Enum.GetValues<DayOfWeek>().Select(d => new { day = (int)d, opens = "08:00:00", closes = "17:00:00" }).ToArray();
        (await catalogAdmin.PutAsJsonAsync($"/api/catalog/cooperatives/{cooperative.Id}/profile",
            new { story = "Koperasi wanita nelayan.", kioskLocation = "Pantai Binor", whatsApp = "081234567890", kioskOpeningHours = hours })).EnsureSuccessStatusCode();

        var memberId = Guid.NewGuid();
        await Catalog.Services.GetRequiredService<MassTransit.IBus>()
            .Publish(new Contracts.Gateway.MemberJoined(memberId, Guid.NewGuid(), cooperative.Id, "Bu Penjual", null, DateTimeOffset.UtcNow));
        var member = Catalog.CreateClient().WithToken(TestTokens.Member(cooperative.Id, memberId));
        var create = await Eventually.GetAsync(
            () => member.PostAsJsonAsync("/api/catalog/products", new
            {
                category = "kerajinan",
                listing = new { nameId = "Tas Pandan " + slug, descriptionId = "Tas anyaman pandan buatan tangan." },
                variants = new[] { new { sku = "TAS-" + slug, label = "Sedang", priceRupiah = price, weightGrams = 400 } },
            }),
            r => r.StatusCode == HttpStatusCode.Created,
            because: "the member to be known to Catalog");
        var product = (await create.Content.ReadFromJsonAsync<Catalog.Products.ManagedProductResponse>())!;
        if (stock > 0)
        {
            await KioskDeliveries.BringAsync(member, catalogAdmin, (product.Variants[0].Id, stock));
        }

        (await member.PostAsync(new Uri($"/api/catalog/products/{product.Id}/submit", UriKind.Relative), null)).EnsureSuccessStatusCode();
        (await catalogAdmin.PostAsync(new Uri($"/api/catalog/products/{product.Id}/approve", UriKind.Relative), null)).EnsureSuccessStatusCode();

        var ordersAdmin = NewShopper(TestTokens.CooperativeAdmin(cooperative.Id));
        await Eventually.TrueAsync(async () =>
        {
            await using var scope = Orders.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
            var merchant = await db.Merchants.AsNoTracking().FirstOrDefaultAsync(m => m.CooperativeId == cooperative.Id);
            return merchant is { KioskOpeningHours.Count: 7 } && await db.Sellables.AnyAsync(s => s.ProductId == product.Id && s.OnSale);
        }, TimeSpan.FromSeconds(30), "Orders to learn of the cooperative's hours and product");
        // Through Stripe's onboarding on the emulator, as an admin connects a cooperative.
        var stripeAccount = connectStripe ? await StripeOnboardingSteps.ConnectAsync(ordersAdmin, cooperative.Id) : null;
        (await ordersAdmin.PutAsJsonAsync($"/api/orders/merchants/{cooperative.Id}/shipping-rates",
            new { rates = new[] { new { zone = "jawa", upToGrams = 5000, priceRupiah = 18_000 } } })).EnsureSuccessStatusCode();
        if (!holdLimits)
        {
            (await ordersAdmin.PutAsJsonAsync($"/api/orders/merchants/{cooperative.Id}/kiosk-hold-settings",
                new { pickupDaysAhead = 3, maxOpenPerPhone = 100, maxOpenPerClient = 1000, maxSharePercent = 100 })).EnsureSuccessStatusCode();
        }

        return new Stall(cooperative.Id, product.Id, product.Variants[0].Id, memberId, member, ordersAdmin, stripeAccount);
    }

    /// <summary>Puts items in a basket and checks out; returns the order as first answered.</summary>
    public static async Task<JsonElement> CheckOutAsync(HttpClient shopper, Stall stall, int quantity, string payment = "card", string fulfilment = "pickup")
    {
        var basket = await shopper.PutAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/lines/{stall.VariantId}", new { productId = stall.ProductId, quantity });
        Assert.True(basket.IsSuccessStatusCode, await basket.Content.ReadAsStringAsync());
        var pickupDate = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7)).AddDays(1);
        var response = await shopper.PostAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/checkout", new
        {
            name = "Turis Senang",
            // A number of her own: the cap on open unpaid orders per number is not what these tests try.
            whatsApp = RandomWhatsApp(),
            email = "turis@wisata.test",
            fulfilment,
            pickupDate = fulfilment == "pickup" ? pickupDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null,
            shippingAddress = fulfilment == "shipping"
                ? new { recipient = "Turis Senang", street = "Jl. Mawar 1", city = "Surabaya", province = "Jawa Timur", postalCode = "60111", zone = "jawa" }
                : null,
            payment,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Waits until the order reaches the status and returns it.</summary>
    /// <summary>An Indonesian mobile number nobody else in the run is likely to have.</summary>
    public static string RandomWhatsApp() => "0813" + Random.Shared.Next(10_000_000, 100_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static Task<JsonElement> OrderWhenAsync(HttpClient shopper, Guid orderId, string status, TimeSpan? patience = null) =>
        Eventually.GetAsync(
            async () => await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}"),
            o => o.GetProperty("status").GetString() == status,
            patience ?? TimeSpan.FromSeconds(30),
            because: $"the order to be {status}");

    public async Task<string> PayAsync(string checkoutUrl, string card = "4242 4242 4242 4242")
    {
        var sessionId = checkoutUrl[(checkoutUrl.LastIndexOf('/') + 1)..];
        var response = await StripeClient().PostAsJsonAsync($"/_emulator/checkout/{sessionId}/pay", new { card });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString()!;
    }

    /// <summary>How many messages of this type Orders wrote to its outbox for one order (published or not).</summary>
    public async Task<int> OutboxCountAsync(string messageType, Guid orderId)
    {
        await using var scope = Orders.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        var id = orderId.ToString();
        return await db.Set<Marketplace.ServiceDefaults.Messaging.OutboxMessage>().CountAsync(m => m.MessageType.StartsWith(messageType) && m.OrderingKey == id);
    }

    /// <summary>Orders in the shop, all or in one status.</summary>
    public async Task<int> CountOrdersAsync(OrderStatus? status = null)
    {
        await using var scope = Orders.CreateScope();
        var orders = scope.ServiceProvider.GetRequiredService<OrdersDbContext>().Orders;
        return status is { } only ? await orders.CountAsync(o => o.Status == only) : await orders.CountAsync();
    }

    /// <summary>Outbox rows of Orders and Catalog not yet confirmed by the broker.</summary>
    public async Task<int> UndispatchedAsync()
    {
        await using var orders = Orders.CreateScope();
        await using var catalog = Catalog.CreateScope();
        return await orders.ServiceProvider.GetRequiredService<OrdersDbContext>().Set<Marketplace.ServiceDefaults.Messaging.OutboxMessage>().CountAsync(m => m.DispatchedAt == null)
            + await catalog.ServiceProvider.GetRequiredService<Catalog.Data.CatalogDbContext>().Set<Marketplace.ServiceDefaults.Messaging.OutboxMessage>().CountAsync(m => m.DispatchedAt == null);
    }

    /// <summary>The variant's stock as Catalog keeps it: on hand and held for orders.</summary>
    public static async Task<(int OnHand, int Reserved)> StockAsync(Stall stall)
    {
        var product = await stall.Member.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{stall.ProductId}/manage");
        var variant = product.GetProperty("variants")[0];
        return (variant.GetProperty("onHand").GetInt32(), variant.GetProperty("reserved").GetInt32());
    }
}

/// <summary>A cooperative with one product on sale; <see cref="StripeAccount"/> is its connected account, null when not connected.</summary>
public sealed record Stall(Guid CooperativeId, Guid ProductId, Guid VariantId, Guid MemberId, HttpClient Member, HttpClient OrdersAdmin, string? StripeAccount = null);

internal sealed class ReplicaConsumeCounter(System.Collections.Concurrent.ConcurrentDictionary<string, int> handled, string replica) : MassTransit.IConsumeObserver
{
    public Task PreConsume<T>(MassTransit.ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostConsume<T>(MassTransit.ConsumeContext<T> context)
        where T : class
    {
        handled.AddOrUpdate(replica, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(MassTransit.ConsumeContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}

internal sealed class ReplicaRequestCounter(System.Collections.Concurrent.ConcurrentDictionary<string, int> handled, string replica) : Microsoft.AspNetCore.Hosting.IStartupFilter
{
    public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
            {
                handled.AddOrUpdate(replica + "-http", 1, (_, n) => n + 1);
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
