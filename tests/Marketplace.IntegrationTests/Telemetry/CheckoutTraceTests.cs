using System.Collections.Concurrent;
using System.Diagnostics;
using Marketplace.Testing;

namespace Marketplace.IntegrationTests.Telemetry;

/// <summary>
/// One checkout can be followed as one trace: the shopper's request to the Gateway, the Gateway's forward to Orders,
/// Orders' reservation message (published later from its outbox, by the dispatcher's own loop) consumed by Catalog,
/// Catalog's answer (from its outbox) consumed by Orders. The spans are taken from the activities the services make,
/// in this process, with a listener like the one the OpenTelemetry SDK adds when an exporter is configured.
/// </summary>
public sealed class CheckoutTraceTests : IAsyncLifetime
{
    private static readonly ActivitySource Shopper = new("Marketplace.Tests.Shopper");

    private readonly Shop _shop = new() { WithGateway = true };

    public Task InitializeAsync() => _shop.InitializeAsync();

    public Task DisposeAsync() => _shop.DisposeAsync();

    [Fact]
    public async Task A_checkouts_spans_share_one_trace_from_the_Gateway_through_the_broker_to_Catalog_and_back_to_Orders()
    {
        var stall = await _shop.OpenStallAsync("jejak-trace");
        using var spans = new SpanRecorder();
        var shopper = _shop.NewShopper();

        ActivityTraceId traceId;
        Guid orderId;
        using (var checkout = Shopper.StartActivity("shopper checks out", ActivityKind.Client) ?? throw new InvalidOperationException("the test's own span was not sampled"))
        {
            traceId = checkout.TraceId;
            orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 1, payment: "kiosk")).GetProperty("id").GetGuid();
        }

        // Orders learns the stock is reserved only from Catalog's answer: once it shows, both messages were consumed.
        await Shop.OrderWhenAsync(shopper, orderId, "awaitingKioskPayment");
        var gatewayPort = _shop.GatewayAddress!.Port;
        var ordersPort = _shop.OrdersAddress.Port;

        // A span is recorded when it ends: an outbox's delivery ends at the broker's confirm, which can come after the
        // consumer has finished with the message. So the wait is for the whole tree, deliveries included.
        static bool Whole(List<Span> s)
        {
            var known = s.Select(x => x.SpanId).ToHashSet();
            return s.Any(x => x.IsConsumeIn("Marketplace.Catalog")) && s.Any(x => x.IsConsumeIn("Marketplace.Orders"))
                && s.Any(x => x.Source == "Marketplace.Messaging" && x.Name == "outbox deliver")
                && s.Count(x => x.ParentSpanId is not { } parent || !known.Contains(parent)) == 1;
        }

        var trace = await Eventually.GetAsync(
            () => Task.FromResult(spans.Of(traceId)),
            Whole,
            because: "Catalog's and Orders' consumers and the outboxes' deliveries to finish within the checkout's trace");

        string Listing() => string.Join(Environment.NewLine, trace.Select(s => s.ToString()));

        // A request span names no port of its own: the call that made it (the shopper's, or the Gateway's forward) does.
        bool ServedOn(int port) => trace.Any(server => server is { Kind: ActivityKind.Server, Source: "Microsoft.AspNetCore" }
            && trace.Any(call => call.SpanId == server.ParentSpanId && call.Source == "System.Net.Http"
                && call.Tags.GetValueOrDefault("server.port") == port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(ServedOn(gatewayPort), $"no Gateway request span in the trace:{Environment.NewLine}{Listing()}");
        Assert.True(ServedOn(ordersPort), $"no Orders request span in the trace:{Environment.NewLine}{Listing()}");
        Assert.True(trace.Any(s => s.Source == "Marketplace.Messaging" && s.Name == "outbox deliver"), $"no outbox delivery in the trace:{Environment.NewLine}{Listing()}");
        Assert.True(trace.Any(s => s.IsConsumeIn("Marketplace.Catalog")), $"no Catalog consumer in the trace:{Environment.NewLine}{Listing()}");
        Assert.True(trace.Any(s => s.IsConsumeIn("Marketplace.Orders")), $"no Orders consumer in the trace:{Environment.NewLine}{Listing()}");

        // Every span of the checkout hangs from another span of it: the trace is one tree, not pieces sharing an id.
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        var roots = trace.Where(s => s.ParentSpanId is not { } parent || !ids.Contains(parent)).ToList();
        Assert.True(roots.Count == 1 && roots[0].Source == Shopper.Name, $"the trace has {roots.Count} roots:{Environment.NewLine}{Listing()}");
    }

    /// <summary>A finished span, with what tells which service made it.</summary>
    private sealed record Span(string Source, string Name, ActivityKind Kind, ActivitySpanId SpanId, ActivitySpanId? ParentSpanId, IReadOnlyDictionary<string, string> Tags)
    {
        /// <summary>A MassTransit consumer of the service whose namespace is given (its consumer type names it).</summary>
        public bool IsConsumeIn(string serviceNamespace) =>
            Source == "MassTransit" && Kind == ActivityKind.Consumer && Tags.Values.Any(v => v.StartsWith(serviceNamespace + ".", StringComparison.Ordinal));

        public override string ToString() =>
            $"{Source} {Kind} '{Name}' {SpanId} <- {ParentSpanId?.ToString() ?? "-"} [{string.Join(", ", Tags.Select(t => $"{t.Key}={t.Value}"))}]";
    }

    /// <summary>Records every finished span of the sources the services' telemetry exports, as the SDK's listener would.</summary>
    private sealed class SpanRecorder : IDisposable
    {
        private static readonly HashSet<string> Sources = ["Microsoft.AspNetCore", "System.Net.Http", "MassTransit", "Marketplace.Messaging", "Marketplace.Tests.Shopper"];
        private readonly ConcurrentQueue<(ActivityTraceId TraceId, Span Span)> _spans = new();
        private readonly ActivityListener _listener;

        public SpanRecorder()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => Sources.Contains(source.Name),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity => _spans.Enqueue((activity.TraceId, new Span(
                    activity.Source.Name,
                    activity.DisplayName,
                    activity.Kind,
                    activity.SpanId,
                    activity.ParentSpanId == default ? null : activity.ParentSpanId,
                    activity.TagObjects.Where(t => t.Value is not null).GroupBy(t => t.Key)
                        .ToDictionary(g => g.Key, g => Convert.ToString(g.First().Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty)))),
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public List<Span> Of(ActivityTraceId traceId) => _spans.Where(s => s.TraceId == traceId).Select(s => s.Span).ToList();

        public void Dispose() => _listener.Dispose();
    }
}
