using System.Security.Cryptography;
using System.Text;
using Marketplace.Orders.OrderAggregate;
using Marketplace.Orders.Payments;
using Marketplace.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Orders.Counter;

/// <summary>
/// A walk-in sale's receipt for whoever holds its link (the buyer's WhatsApp message, the QR code on the paper): the link
/// carries a random key kept with the sale, so receipts cannot be found by guessing order ids.
/// </summary>
public static class ReceiptsApi
{
    public static RouteGroupBuilder MapReceiptsApi(this RouteGroupBuilder api)
    {
        var receipts = api.MapGroup("/receipts").WithTags("Receipts").AllowAnonymous();
        receipts.MapGet("/{orderId:guid}", GetAsync)
            .WithName("GetReceipt")
            .WithSummary("A walk-in sale's receipt, for the holder of its link (key).");
        receipts.MapGet("/{orderId:guid}/receipt.pdf", PdfAsync)
            .WithName("GetReceiptPdf")
            .WithSummary("The receipt as a PDF for a 58 mm or 80 mm receipt printer (width=58|80).");
        return api;
    }

    private static async Task<Results<Ok<SaleResponse>, NotFound>> GetAsync(
        Guid orderId, string? key, OrdersDbContext db, IOptions<StripeOptions> site, CancellationToken cancellationToken)
    {
        var sale = await FindAsync(db, orderId, key, site.Value.PublicBaseUrl, cancellationToken);
        return sale is null ? TypedResults.NotFound() : TypedResults.Ok(sale);
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> PdfAsync(
        Guid orderId, string? key, int? width, OrdersDbContext db, IOptions<StripeOptions> site, CancellationToken cancellationToken)
    {
        if (width is not (null or 58 or 80))
        {
            throw new ValidationFailedException([new FieldError("width", "invalid_width", "A receipt printer's roll is 58 or 80 mm wide.")]);
        }

        var sale = await FindAsync(db, orderId, key, site.Value.PublicBaseUrl, cancellationToken);
        return sale is null
            ? TypedResults.NotFound()
            : TypedResults.File(ReceiptDocument.Render(sale, width ?? 58), "application/pdf", $"nota-{sale.ReceiptNumber}.pdf");
    }

    private static async Task<SaleResponse?> FindAsync(OrdersDbContext db, Guid orderId, string? key, Uri publicBaseUrl, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId && o.Fulfilment == FulfilmentKind.Counter, cancellationToken);
        if (order?.Counter is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(order.Counter.ReceiptKey), Encoding.UTF8.GetBytes(key)))
        {
            return null;
        }

        var merchant = await db.Merchants.AsNoTracking().FirstOrDefaultAsync(m => m.CooperativeId == order.CooperativeId, cancellationToken);
        return SaleResponses.Describe(order, merchant, publicBaseUrl);
    }
}
