using System.Security.Claims;
using System.Text;
using Marketplace.Orders.OrderAggregate;
using Marketplace.Orders.Refunds;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using QRCoder;

namespace Marketplace.Orders.Counter;

public sealed record QrisRequest(string? Payload);

public sealed record QrisResponse(Guid CooperativeId, bool Set);

/// <summary>A walk-in sale an admin should look at: sent after its till closed, or sold at a price that had changed.</summary>
public sealed record FlaggedSaleResponse(
    Guid OrderId, string ReceiptNumber, DateTimeOffset SoldAt, string Clerk, Guid? TillSessionId, bool Late, IReadOnlyList<FlaggedLineResponse> PriceChangedLines);

public sealed record FlaggedLineResponse(Guid OrderLineId, string Name, string VariantLabel, int Quantity, long UnitPriceRupiah, long ListPriceRupiah);

/// <summary>The point of sale: walk-in sales, returns over the counter, the cooperative's QRIS and what needs an admin's eye.</summary>
public static class CounterApi
{
    public static RouteGroupBuilder MapCounterApi(this RouteGroupBuilder api)
    {
        var kiosk = api.MapGroup("/kiosk/{cooperativeId:guid}").WithTags("Counter").RequireClerkOfRouteCooperative();
        kiosk.MapPost("/sales", SellAsync)
            .WithName("RecordCounterSale")
            .WithSummary("Records a walk-in sale, paid (cash or qris) and handed over. The same saleId again answers the sale first recorded (200); "
                + "the same saleId with another body is 409 sale_id_reused.");
        kiosk.MapGet("/sales/{orderId:guid}", GetSaleAsync)
            .WithName("GetCounterSale")
            .WithSummary("A walk-in sale as its receipt shows it.");
        kiosk.MapGet("/till-sessions/{sessionId:guid}/sales", SessionSalesAsync)
            .WithName("TillSessionSales")
            .WithSummary("The walk-in sales recorded in a till session, newest first (at most 500): the clerk's list to find a sale brought back.");
        kiosk.MapPost("/sales/{orderId:guid}/returns", ReturnAsync)
            .WithName("ReturnAtCounter")
            .WithSummary("Goods of a walk-in sale brought back: refunded in cash from an open till session, back on the shelf. "
                + "Send an Idempotency-Key header: a retry with the same key returns the same refund.");
        kiosk.MapGet("/qris", QrisStateAsync)
            .WithName("CooperativeQrisState")
            .WithSummary("Whether the cooperative has set its static QRIS: without it the sale screen offers cash only.");
        kiosk.MapGet("/qris.svg", QrisSvgAsync)
            .WithName("CooperativeQris")
            .WithSummary("The cooperative's static QRIS as an SVG QR code, for the buyer to scan.");
        kiosk.MapGet("/flags", FlagsAsync)
            .RequireAdminOfRouteCooperative(hideFromOthers: true)
            .WithName("CounterFlags")
            .WithSummary("Walk-in sales sent after their till session closed, and lines sold at a price that had changed (admins).");
        api.MapPut("/merchants/{cooperativeId:guid}/qris", SetQrisAsync)
            .RequireAdminOfRouteCooperative(hideFromOthers: true)
            .WithTags("Counter")
            .WithName("SetCooperativeQris")
            .WithSummary("The payload of the cooperative's static QRIS sticker (EMVCo, checked by its CRC).");
        return api;
    }

    private static string Caller(ClaimsPrincipal user) => user.UserId()?.ToString() ?? "unknown";

    private static async Task<Results<Created<SaleResponse>, Ok<SaleResponse>>> SellAsync(
        Guid cooperativeId, CounterSaleRequest request, ClaimsPrincipal user, CounterSales sales, CancellationToken cancellationToken)
    {
        var (sale, created) = await sales.SellAsync(cooperativeId, request, Caller(user), user.DisplayName(), cancellationToken);
        return created ? TypedResults.Created($"/api/orders/kiosk/{cooperativeId}/sales/{sale.OrderId}", sale) : TypedResults.Ok(sale);
    }

    private static async Task<Results<Ok<SaleResponse>, NotFound>> GetSaleAsync(Guid cooperativeId, Guid orderId, CounterSales sales, CancellationToken cancellationToken) =>
        await sales.FindAsync(cooperativeId, orderId, cancellationToken) is { } sale ? TypedResults.Ok(sale) : TypedResults.NotFound();

    private static async Task<Results<Ok<List<SaleResponse>>, NotFound>> SessionSalesAsync(
        Guid cooperativeId, Guid sessionId, CounterSales sales, CancellationToken cancellationToken) =>
        await sales.OfSessionAsync(cooperativeId, sessionId, cancellationToken) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound();

    private static async Task<Results<Ok<RefundResponse>, NotFound>> ReturnAsync(
        Guid cooperativeId, Guid orderId, CounterReturnRequest request, HttpContext http, ClaimsPrincipal user, CounterSales sales, CancellationToken cancellationToken)
    {
        var refund = await sales.ReturnAsync(cooperativeId, orderId, http.Request.Headers["Idempotency-Key"].ToString(), request, Caller(user), cancellationToken);
        return refund is null ? TypedResults.NotFound() : TypedResults.Ok(RefundsApi.Describe(refund));
    }

    private static async Task<Ok<QrisResponse>> QrisStateAsync(Guid cooperativeId, OrdersDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(new QrisResponse(cooperativeId,
            await db.Merchants.AsNoTracking().AnyAsync(m => m.CooperativeId == cooperativeId && m.QrisPayload != null, cancellationToken)));

    private static async Task<Results<ContentHttpResult, NotFound>> QrisSvgAsync(Guid cooperativeId, OrdersDbContext db, CancellationToken cancellationToken)
    {
        var payload = await db.Merchants.AsNoTracking().Where(m => m.CooperativeId == cooperativeId).Select(m => m.QrisPayload).FirstOrDefaultAsync(cancellationToken);
        if (payload is null)
        {
            return TypedResults.NotFound();
        }

        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        return TypedResults.Content(new SvgQRCode(data).GetGraphic(8), "image/svg+xml", Encoding.UTF8);
    }

    private static async Task<Results<Ok<QrisResponse>, NotFound>> SetQrisAsync(
        Guid cooperativeId, QrisRequest request, OrdersDbContext db, AuditTrail audit, CancellationToken cancellationToken)
    {
        var merchant = await db.Merchants.FirstOrDefaultAsync(m => m.CooperativeId == cooperativeId, cancellationToken);
        if (merchant is null)
        {
            return TypedResults.NotFound();
        }

        // Where the shoppers' QRIS money goes: a changed sticker payload is the first thing to look at after a loss.
        var before = new { qris = merchant.QrisPayload };
        merchant.SetQris(request.Payload ?? string.Empty);
        audit.Record(db, "settings.qris-changed", cooperativeId, "merchant", cooperativeId, before, new { qris = merchant.QrisPayload });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new QrisResponse(cooperativeId, true));
    }

    private static async Task<Ok<List<FlaggedSaleResponse>>> FlagsAsync(Guid cooperativeId, OrdersDbContext db, CancellationToken cancellationToken)
    {
        var flagged = await db.Orders.AsNoTracking()
            .Where(o => o.CooperativeId == cooperativeId && o.CounterFlagged)
            .OrderByDescending(o => o.PlacedAt)
            .Take(200)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(flagged.Select(o => new FlaggedSaleResponse(
            o.Id, o.ReceiptNumber!, o.PaidAt ?? o.PlacedAt, o.Counter?.ClerkName ?? string.Empty, o.TillSessionId, o.Counter?.Late == true,
            o.Lines.Where(l => l.PriceChanged).Select(l => new FlaggedLineResponse(l.Id, l.Name, l.VariantLabel, l.Quantity, l.UnitPriceRupiah, l.ListPriceRupiah!.Value)).ToList()))
            .ToList());
    }
}
