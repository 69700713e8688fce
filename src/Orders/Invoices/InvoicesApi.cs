using System.Security.Cryptography;
using System.Text;
using Marketplace.Orders.Checkout;
using Marketplace.Orders.OrderAggregate;
using Marketplace.Orders.RefundAggregate;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Invoices;

/// <summary>What a buyer asks a kuitansi to be made out to; empty optional fields are left off the paper.</summary>
public sealed record KuitansiRequest(string? Institution, string? Address, string? Npwp, string? Purpose);

/// <summary>The institution a kuitansi is made out to, as stored; <see cref="NpwpDisplay"/> as the paper prints it.</summary>
public sealed record KuitansiResponse(string Institution, string? Address, string? Npwp, string? NpwpDisplay, string? Purpose, DateTimeOffset RequestedAt);

/// <summary>
/// A paid order's receipt (bukti pembayaran, or a kuitansi in an institution's name) as a PDF, for the buyer (her
/// account, or the guest cookie she ordered with) and the cooperative's admins; a walk-in sale's also for the holder of
/// its receipt link. Anyone else is told the order does not exist, as the order itself does.
/// </summary>
public static class InvoicesApi
{
    public static RouteGroupBuilder MapInvoicesApi(this RouteGroupBuilder api)
    {
        var orders = api.MapGroup("/orders/{id:guid}").WithTags("Invoices");
        orders.MapGet("/receipt.pdf", PdfAsync)
            .WithName("GetOrderReceiptPdf")
            .WithSummary("The paid order's receipt as an A4 PDF, in ?lang=id|en (default: the order's language); a kuitansi when one was asked for.");
        orders.MapGet("/kuitansi", GetKuitansiAsync)
            .WithName("GetKuitansi")
            .WithSummary("The institution the order's kuitansi is made out to; 204 when none was asked for.");
        orders.MapPut("/kuitansi", MakeKuitansiOutAsync)
            .WithName("MakeKuitansiOut")
            .WithSummary("Makes the paid order's receipt a kuitansi in an institution's name (name, optional address, NPWP and purpose).");
        return api;
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> PdfAsync(
        Guid id, HttpContext http, OrdersDbContext db, CancellationToken cancellationToken, string? lang = null, string? key = null)
    {
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (order is null || !(OrderResponses.CanSee(http, order) || HoldsReceiptKey(order, key)))
        {
            return TypedResults.NotFound();
        }

        if (!order.IsPaid)
        {
            throw new ConflictException("The order is not paid yet: its receipt comes once it is.", "order_not_paid");
        }

        var merchant = await db.Merchants.AsNoTracking().FirstAsync(m => m.CooperativeId == order.CooperativeId, cancellationToken);
        var refunds = await db.Refunds.AsNoTracking().Where(r => r.OrderId == order.Id && r.Status == RefundStatus.Succeeded).ToListAsync(cancellationToken);
        var memberIds = order.Lines.Select(l => l.MemberId).Distinct().ToList();
        var makers = await db.MemberHolidays.AsNoTracking()
            .Where(m => memberIds.Contains(m.MemberId) && m.DisplayName != null)
            .ToDictionaryAsync(m => m.MemberId, m => m.DisplayName!, cancellationToken);
        var invoice = Invoice.Compose(order, merchant, refunds, makers, string.IsNullOrWhiteSpace(lang) ? order.Language : lang);
        return TypedResults.File(InvoiceDocument.Render(invoice), "application/pdf", invoice.FileName);
    }

    private static async Task<Results<Ok<KuitansiResponse>, NoContent, NotFound>> GetKuitansiAsync(
        Guid id, HttpContext http, OrdersDbContext db, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (order is null || !OrderResponses.CanSee(http, order))
        {
            return TypedResults.NotFound();
        }

        return order.Kuitansi is { } kuitansi ? TypedResults.Ok(Describe(kuitansi)) : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<KuitansiResponse>, NotFound>> MakeKuitansiOutAsync(
        Guid id, KuitansiRequest request, HttpContext http, OrdersDbContext db, AuditTrail audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var order = await db.Orders.FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
            if (order is null || !OrderResponses.CanSee(http, order))
            {
                return TypedResults.NotFound();
            }

            var recipient = Validate(request, clock.GetUtcNow());
            var before = order.Kuitansi;
            order.MakeKuitansiOutTo(recipient);
            audit.Record(db, "order.kuitansi-requested", order.CooperativeId, "order", order.Id, before,
                new { order.PickupCode, recipient.Institution, recipient.Address, recipient.Npwp, recipient.Purpose });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return TypedResults.Ok(Describe(recipient));
            }
            catch (DbUpdateConcurrencyException) when (attempt < KuitansiAttempts)
            {
                // The order moved on meanwhile (Catalog confirming its stock just after the payment at the kiosk, as a
                // buyer asks for her kuitansi): made out again on the order as it is now.
                db.ChangeTracker.Clear();
            }
        }
    }

    private const int KuitansiAttempts = 3;

    /// <summary>Every field's problem at once: the institution's name is needed, the rest is optional but bounded.</summary>
    public static KuitansiRecipient Validate(KuitansiRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var institution = Trimmed(request.Institution);
        if (institution is null)
        {
            errors.Add("institution", "institution_required", "Name the institution the kuitansi is made out to.");
        }
        else if (institution.Length > 120)
        {
            errors.Add("institution", "institution_too_long", "The institution's name is at most 120 characters.");
        }

        var address = Trimmed(request.Address);
        if (address is { Length: > 300 })
        {
            errors.Add("address", "address_too_long", "The address is at most 300 characters.");
        }

        var purpose = Trimmed(request.Purpose);
        if (purpose is { Length: > 200 })
        {
            errors.Add("purpose", "purpose_too_long", "What it pays for is at most 200 characters.");
        }

        var npwp = Merchants.Npwp.Normalize(request.Npwp, "npwp", errors);
        errors.ThrowIfAny();
        return new KuitansiRecipient(institution!, address, npwp, purpose, now);
    }

    private static KuitansiResponse Describe(KuitansiRecipient k) =>
        new(k.Institution, k.Address, k.Npwp, k.Npwp is null ? null : Merchants.Npwp.Format(k.Npwp), k.Purpose, k.RequestedAt);

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>A walk-in sale's buyer has no account or cookie: the key in her receipt link is her proof, as on the nota's page.</summary>
    private static bool HoldsReceiptKey(Order order, string? key) =>
        !string.IsNullOrEmpty(key) && order.Counter is { } counter
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(counter.ReceiptKey), Encoding.UTF8.GetBytes(key));
}
