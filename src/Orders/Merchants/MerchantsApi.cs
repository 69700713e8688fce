using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Marketplace.Orders.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Orders.Merchants;

/// <remarks>
/// <see cref="OnlineMethods"/>: what Stripe's page may offer (<c>card</c>, <c>qris</c>, <c>gopay</c>), the setting's
/// methods the cooperative's account has; empty while it takes no online payments. A method with a minimum total may
/// still be left off a small basket's page.
/// </remarks>
public sealed record MerchantResponse(Guid CooperativeId, string Slug, string Name, bool TakesCards, bool Ships, IReadOnlyList<ShippingRate> ShippingRates, IReadOnlyList<string> OnlineMethods);

public sealed record ShippingRatesRequest(IReadOnlyList<ShippingRate> Rates);

/// <summary>What the cooperative's receipts say of it besides its name: its address and NPWP (typed with or without separators).</summary>
public sealed record ReceiptDetailsRequest(string? Address, string? Npwp);

/// <summary>The receipt details as saved: the NPWP as digits and as the receipt prints it.</summary>
public sealed record ReceiptDetailsResponse(string? Address, string? Npwp, string? NpwpDisplay);

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
        group.MapGet("/{cooperativeId:guid}/receipt-details", GetReceiptDetailsAsync)
            .RequireAdminOfRouteCooperative(hideFromOthers: true)
            .WithName("GetReceiptDetails")
            .WithSummary("The cooperative's address and NPWP as its receipts (merchant of record) print them.");
        group.MapPut("/{cooperativeId:guid}/receipt-details", SetReceiptDetailsAsync)
            .RequireAdminOfRouteCooperative(hideFromOthers: true)
            .WithName("SetReceiptDetails")
            .WithSummary("Sets the cooperative's address and NPWP (15 or 16 digits) for its receipts; every receipt downloaded afterwards shows them.");
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

    private static async Task<Results<Ok<ReceiptDetailsResponse>, NotFound>> GetReceiptDetailsAsync(Guid cooperativeId, OrdersDbContext db, CancellationToken cancellationToken)
    {
        var merchant = await db.Merchants.AsNoTracking().FirstOrDefaultAsync(m => m.CooperativeId == cooperativeId, cancellationToken);
        return merchant is null ? TypedResults.NotFound() : TypedResults.Ok(ReceiptDetails(merchant));
    }

    private static async Task<Results<Ok<ReceiptDetailsResponse>, NotFound>> SetReceiptDetailsAsync(
        Guid cooperativeId, ReceiptDetailsRequest request, OrdersDbContext db, AuditTrail audit, CancellationToken cancellationToken)
    {
        var merchant = await db.Merchants.FirstOrDefaultAsync(m => m.CooperativeId == cooperativeId, cancellationToken);
        if (merchant is null)
        {
            return TypedResults.NotFound();
        }

        var before = new { merchant.Address, merchant.Npwp };
        merchant.SetReceiptDetails(request.Address, request.Npwp);
        audit.Record(db, "settings.receipt-details-changed", cooperativeId, "merchant", cooperativeId, before, new { merchant.Address, merchant.Npwp });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ReceiptDetails(merchant));
    }

    private static ReceiptDetailsResponse ReceiptDetails(Merchant merchant) =>
        new(merchant.Address, merchant.Npwp, merchant.Npwp is null ? null : Npwp.Format(merchant.Npwp));

    public static async Task<Results<Ok<MerchantResponse>, NotFound>> GetAsync(Guid cooperativeId, OrdersDbContext db, IOptions<StripeOptions> stripe, CancellationToken cancellationToken)
    {
        var merchant = await db.Merchants.AsNoTracking().FirstOrDefaultAsync(m => m.CooperativeId == cooperativeId, cancellationToken);
        return merchant is null ? TypedResults.NotFound() : TypedResults.Ok(Describe(merchant, stripe.Value));
    }

    private static async Task<Results<Ok<MerchantResponse>, NotFound>> SetShippingRatesAsync(
        Guid cooperativeId, ShippingRatesRequest request, OrdersDbContext db, AuditTrail audit, IOptions<StripeOptions> stripe, CancellationToken cancellationToken)
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
        return TypedResults.Ok(Describe(merchant, stripe.Value));
    }

    private static MerchantResponse Describe(Merchant merchant, StripeOptions stripe) =>
        new(merchant.CooperativeId, merchant.Slug, merchant.Name, merchant.TakesCards, merchant.ShippingRates.Count > 0, merchant.ShippingRates,
            merchant.TakesCards
                ? OnlinePaymentMethods.Describe(stripe, merchant.StripeAccount).Where(m => m.Availability != MethodAvailability.Inactive).Select(m => m.Type).ToList()
                : []);
}
