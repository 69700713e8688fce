using Marketplace.ServiceDefaults.Audit;
using MassTransit;
using Marketplace.Orders.Settlement.Cooperatives;
using Marketplace.Orders.Settlement.Costs;
using Marketplace.Orders.Settlement.Data;
using Marketplace.Orders.Settlement.Ledger;
using Marketplace.Orders.Settlement.Payouts;
using Marketplace.Orders.Settlement.Reporting;
using Marketplace.Orders.Settlement.Tills;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Orders.Settlement;

/// <summary>
/// Settlement's front door: the Orders service hosts it with <see cref="AddSettlement"/>, its consumers on the
/// service's one bus with <see cref="AddSettlementConsumers"/>, and its endpoints with <see cref="MapSettlement"/>.
/// It shares nothing else with Orders: its own context, schema and outbox; messages in, and its payouts' messages out.
/// </summary>
public static class SettlementModule
{
    /// <summary>The queue on which Settlement keeps its own directory of Catalog's cooperatives (their time zones).</summary>
    public const string CooperativesEndpoint = "settlement-catalog-cooperatives";

    /// <summary>
    /// Settlement's database (schema <c>settlement</c>, in Orders' database), its outbox (delivered by a dispatcher of
    /// its own, on the service's bus) and its job releasing held earnings.
    /// </summary>
    public static IHostApplicationBuilder AddSettlement(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddServiceDbContext<SettlementDbContext>("ordersdb", SettlementDbContext.Schema, "settlement-database");
        builder.AddModuleOutbox<SettlementDbContext>();
        builder.Services.AddHostedService<HeldEarningsRelease>();
        builder.Services.AddHostedService<Payouts.PayoutBatchMetrics>();
        return builder;
    }

    /// <summary>
    /// Settlement's consumers, on the hosting service's bus (one bus per service): call it inside that service's
    /// <c>AddMessaging</c> callback. Settlement learns of sales only from these messages, as it would as a service of
    /// its own; each is applied once (its inbox) and in any order.
    /// </summary>
    public static IBusRegistrationConfigurator AddSettlementConsumers(this IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<OrderPaidPosting>();
        bus.AddConsumer<OrderPaymentFeesKnownPosting>();
        bus.AddConsumer<OrderLinesFulfilledPosting>();
        bus.AddConsumer<OrderRefundedPosting>();
        // Card disputes hold the order's shares, then release or reverse them; Stripe's payouts move card money to the bank.
        bus.AddConsumer<Disputes.OrderDisputeOpenedPosting>();
        bus.AddConsumer<Disputes.OrderDisputeClosedPosting>();
        bus.AddConsumer<StripePayouts.StripePayoutPaidPosting>();
        // What the goods cost their members (HPP), as Catalog takes them from their batches: the members' laba.
        bus.AddConsumer<StockSoldAtCostConsumer>();
        bus.AddConsumer<StockRestockedAtCostConsumer>();
        bus.AddConsumer<StockReturnedAtCostConsumer>();
        // The kiosk's tills: cash paid in or out, and each closing's difference as it stands (a late sale revises it).
        bus.AddConsumer<TillCashMovedPosting>();
        bus.AddConsumer<TillDifferencePosting>();
        // Which cooperative a member belongs to decides whose admins may confirm her bank account.
        bus.AddConsumer<MemberUpdatedConsumer>();
        // A cooperative's time zone decides its report days and statements' dates. Its own queue, apart from Orders'
        // copy of the same events; ordered, so an update never races its registration to insert the cooperative.
        bus.AddOrderedConsumer<SettlementCooperativeRegisteredConsumer>(CooperativesEndpoint);
        bus.AddOrderedConsumer<SettlementCooperativeUpdatedConsumer>(CooperativesEndpoint);
        return bus;
    }

    /// <summary>Every Settlement endpoint, under <c>/api/settlement</c> (the Gateway routes it to the Orders service).</summary>
    public static IEndpointRouteBuilder MapSettlement(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/settlement").WithTags("Settlement");
        api.MapSettlementApi();
        api.MapPayoutAccountsApi();
        api.MapPayoutStatements();
        api.MapSettlementReports();
        api.MapCostsApi();
        api.MapLabaReports();
        api.MapAuditTrail<SettlementDbContext>("/audit", SettlementDbContext.Schema);
        StripePayouts.StripePayoutsApi.MapStripePayoutsApi(api);
        return app;
    }
}
