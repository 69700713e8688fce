using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Merchants;

public sealed record MerchantResponse(Guid CooperativeId, string Slug, string Name, bool TakesCards, bool Ships, IReadOnlyList<ShippingRate> ShippingRates);

public sealed record ShippingRatesRequest(IReadOnlyList<ShippingRate> Rates);

public static class MerchantsApi
{
    public static RouteGroupBuilder MapMerchantsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/merchants").WithTags("Merchants");
        group.MapGet("/{cooperativeId:guid}", GetAsync)
            .WithName("GetMerchant")
            .WithSummary("The cooperative a basket is paid to, as Orders knows it: whether it takes cards, where it ships and for how much.");
        // The cooperative's Stripe account comes only from Stripe's onboarding: an id typed by hand proves nothing.
        group.MapStripeOnboarding();
        group.MapPut("/{cooperativeId:guid}/shipping-rates", SetShippingRatesAsync)
            .RequireAdminOfRouteCooperative(hideFromOthers: true)
            .WithName("SetShippingRates")
            .WithSummary("The cooperative's shipping table: a price per destination zone and weight limit.");
        group.MapGet("/{cooperativeId:guid}/kiosk-hold-settings", GetKioskHoldsAsync)
            .RequireAdminOfRouteCooperative(hideFromOthers: true)
            .WithName("GetKioskHoldSettings")
            .WithSummary("The bounds on pay-at-kiosk orders: pickup days ahead, open unpaid orders per WhatsApp number and per client address, share of a size's stock one order may hold.");
        group.MapPut("/{cooperativeId:guid}/kiosk-hold-settings", SetKioskHoldsAsync)
            .RequireAdminOfRouteCooperative(hideFromOthers: true)
            .WithName("SetKioskHoldSettings")
            .WithSummary("Sets the bounds on pay-at-kiosk orders; orders already placed keep what they hold.");
        return group;
    }

    private static async Task<Results<Ok<KioskHoldSettings>, NotFound>> GetKioskHoldsAsync(Guid cooperativeId, OrdersDbContext db, CancellationToken cancellationToken)
    {
        var merchant = await db.Merchants.AsNoTracking().FirstOrDefaultAsync(m => m.CooperativeId == cooperativeId, cancellationToken);
        return merchant is null ? TypedResults.NotFound() : TypedResults.Ok(merchant.KioskHolds);
    }

    private static async Task<Results<Ok<KioskHoldSettings>, NotFound>> SetKioskHoldsAsync(
        Guid cooperativeId, KioskHoldSettings request, OrdersDbContext db, AuditTrail audit, CancellationToken cancellationToken)
    {
        var merchant = await db.Merchants.FirstOrDefaultAsync(m => m.CooperativeId == cooperativeId, cancellationToken);
        if (merchant is null)
        {
            return TypedResults.NotFound();
        }

        var before = merchant.KioskHolds;
        merchant.SetKioskHolds(request);
        audit.Record(db, "settings.kiosk-holds-changed", cooperativeId, "merchant", cooperativeId, before, merchant.KioskHolds);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(merchant.KioskHolds);
    }

    public static async Task<Results<Ok<MerchantResponse>, NotFound>> GetAsync(Guid cooperativeId, OrdersDbContext db, CancellationToken cancellationToken)
    {
        var merchant = await db.Merchants.AsNoTracking().FirstOrDefaultAsync(m => m.CooperativeId == cooperativeId, cancellationToken);
        return merchant is null ? TypedResults.NotFound() : TypedResults.Ok(Describe(merchant));
    }

    private static async Task<Results<Ok<MerchantResponse>, NotFound>> SetShippingRatesAsync(
        Guid cooperativeId, ShippingRatesRequest request, OrdersDbContext db, AuditTrail audit, CancellationToken cancellationToken)
    {
        var merchant = await db.Merchants.FirstOrDefaultAsync(m => m.CooperativeId == cooperativeId, cancellationToken);
        if (merchant is null)
        {
            return TypedResults.NotFound();
        }

        var before = merchant.ShippingRates.ToList();
        merchant.SetShippingRates(request.Rates ?? []);
        audit.Record(db, "settings.shipping-rates-changed", cooperativeId, "merchant", cooperativeId, before, merchant.ShippingRates.ToList());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(Describe(merchant));
    }

    private static MerchantResponse Describe(Merchant merchant) =>
        new(merchant.CooperativeId, merchant.Slug, merchant.Name, merchant.TakesCards, merchant.ShippingRates.Count > 0, merchant.ShippingRates);
}
