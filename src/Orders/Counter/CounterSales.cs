using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Marketplace.Orders.Merchants;
using Marketplace.Orders.OrderAggregate;
using Marketplace.Orders.Payments;
using Marketplace.Orders.RefundAggregate;
using Marketplace.Orders.Tills;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Formatting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Marketplace.Orders.Counter;

public sealed record CounterSaleLineRequest(Guid ProductId, Guid VariantId, int Quantity, long UnitPriceRupiah);

/// <summary><c>channel</c> is <c>cash</c> (with <c>tenderedRupiah</c>) or <c>qris</c> (with the payment's <c>reference</c>).</summary>
public sealed record CounterPaymentRequest(string? Channel, long? TenderedRupiah, string? Reference);

/// <summary>A walk-in sale as the sale screen sends it; <c>saleId</c> is made on the device and becomes the order's id.</summary>
public sealed record CounterSaleRequest(
    Guid SaleId,
    Guid? TillSessionId,
    DateTimeOffset SoldAt,
    IReadOnlyList<CounterSaleLineRequest>? Lines,
    CounterPaymentRequest? Payment,
    string? BuyerWhatsApp,
    string? Language);

public sealed record CounterReturnLineRequest(Guid OrderLineId, int Quantity);

public sealed record CounterReturnRequest(Guid? TillSessionId, IReadOnlyList<CounterReturnLineRequest>? Lines);

/// <summary>
/// Records walk-in sales and counter returns. A sale may arrive more than once (a device that lost its signal sends
/// again until it hears back), also at the same moment: its id is the order's key, so only one insert can win, and
/// every repeat is answered with the sale as first recorded. The order, its till movement, its receipt number and the
/// messages it owes are saved in one transaction.
/// </summary>
public sealed class CounterSales(OrdersDbContext db, TimeProvider clock, IOptions<StripeOptions> site, AuditTrail audit)
{
    private const int Attempts = 5;
    private const int MaxLines = 100;

    /// <summary>A sale sent this long after it was made is still taken (a device offline for a holiday weekend), no older.</summary>
    private static readonly TimeSpan OldestOfflineSale = TimeSpan.FromDays(14);

    /// <summary>A device's clock may run a little ahead; more, and the time it sends is not believed.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(10);

    private Uri PublicBaseUrl => site.Value.PublicBaseUrl;

    /// <summary>Records the sale, or answers the one already recorded under its id. Created is false for a repeat.</summary>
    public async Task<(SaleResponse Sale, bool Created)> SellAsync(
        Guid cooperativeId, CounterSaleRequest request, string clerk, string? clerkName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.SaleId == Guid.Empty)
        {
            throw new ValidationFailedException([new FieldError("saleId", "invalid_sale_id", "Each sale needs its id, made on the device.")]);
        }

        var hash = Fingerprint(cooperativeId, request);
        var merchant = await db.Merchants.AsNoTracking().FirstOrDefaultAsync(m => m.CooperativeId == cooperativeId, cancellationToken)
            ?? throw new NotFoundException("No such cooperative.");
        if (await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == request.SaleId, cancellationToken) is { } recorded)
        {
            return (Repeat(recorded, cooperativeId, hash, merchant), false);
        }

        var now = clock.GetUtcNow();
        var (lines, channel, reference, session) = await ValidateAsync(cooperativeId, merchant, request, now, cancellationToken);
        var receiptKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var day = LocalTime.Of(request.SoldAt, merchant.TimeZone).Date;
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // The day's receipt counter is locked until this commits: sales of one cooperative queue here, so each reads
            // the till's totals as the one before it left them, rather than racing it and trying again.
            var number = await ReceiptNumbers.NextAsync(db, cooperativeId, day, cancellationToken);
            var late = false;
            TillMovement? movement = null;
            if (session is not null)
            {
                var tracked = await db.TillSessions.FirstAsync(s => s.Id == session.Id, cancellationToken);
                movement = tracked.TakeSale(request.SaleId, channel == PaymentChannel.Cash, lines.Sum(l => l.LineTotalRupiah), clerk, now, out late);
            }

            var order = Order.SellAtCounter(
                new CounterSaleTerms(request.SaleId, cooperativeId, channel, reference, request.Payment!.TenderedRupiah, session?.Id, late, number, receiptKey,
                    SaleResponses.ReceiptUrl(PublicBaseUrl, request.SaleId, receiptKey), clerk, WhatsAppNumber.NormalizeOptional(request.BuyerWhatsApp),
                    ShopperLanguage.Of(request.Language), hash, request.SoldAt, clerkName),
                lines, now);
            db.Orders.Add(order);
            if (movement is not null)
            {
                db.TillMovements.Add(movement);
            }

            audit.Record(db, "counter.sold", cooperativeId, "order", order.Id, null, new
            {
                receipt = number, order.TotalRupiah, order.PaymentChannel, order.PaymentReference, tendered = request.Payment!.TenderedRupiah, request.SoldAt,
                tillSession = session?.Id, lines = lines.Select(l => new { l.VariantId, l.Quantity, l.LineTotalRupiah }).ToList(),
            });

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return (SaleResponses.Describe(order, merchant, PublicBaseUrl), true);
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                // Another sale at the same till saved first: take the till's new totals and try again.
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // The same sale, sent twice at once: the other request recorded it.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                var other = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == request.SaleId, cancellationToken);
                return other is null ? throw new ConflictException("The sale could not be recorded; send it again.", "concurrency") : (Repeat(other, cooperativeId, hash, merchant), false);
            }
        }
    }

    /// <summary>A sale of this cooperative's, as its receipt shows it; null if there is none.</summary>
    public async Task<SaleResponse?> FindAsync(Guid cooperativeId, Guid orderId, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking()
            .FirstOrDefaultAsync(o => o.Id == orderId && o.CooperativeId == cooperativeId && o.Fulfilment == FulfilmentKind.Counter, cancellationToken);
        if (order is null)
        {
            return null;
        }

        var merchant = await db.Merchants.AsNoTracking().FirstOrDefaultAsync(m => m.CooperativeId == cooperativeId, cancellationToken);
        return SaleResponses.Describe(order, merchant, PublicBaseUrl);
    }

    /// <summary>The walk-in sales of one till session of this cooperative, newest first; null if there is no such session.</summary>
    public async Task<List<SaleResponse>?> OfSessionAsync(Guid cooperativeId, Guid sessionId, CancellationToken cancellationToken)
    {
        if (!await db.TillSessions.AnyAsync(s => s.Id == sessionId && s.CooperativeId == cooperativeId, cancellationToken))
        {
            return null;
        }

        var orders = await db.Orders.AsNoTracking()
            .Where(o => o.CooperativeId == cooperativeId && o.TillSessionId == sessionId && o.Fulfilment == FulfilmentKind.Counter)
            .OrderByDescending(o => o.PaidAt)
            .Take(500)
            .ToListAsync(cancellationToken);
        var merchant = await db.Merchants.AsNoTracking().FirstOrDefaultAsync(m => m.CooperativeId == cooperativeId, cancellationToken);
        return [.. orders.Select(o => SaleResponses.Describe(o, merchant, PublicBaseUrl))];
    }

    /// <summary>
    /// Goods of a walk-in sale brought back: refunded in cash from an open till session, the stock owed back to the shelf,
    /// and the members' shares reversed by the refund, all in one save. The same key returns the same refund.
    /// </summary>
    public async Task<Refund?> ReturnAsync(Guid cooperativeId, Guid orderId, string? requestKey, CounterReturnRequest request, string clerk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = requestKey?.Trim() ?? string.Empty;
        var seen = await db.Orders.AsNoTracking()
            .FirstOrDefaultAsync(o => o.Id == orderId && o.CooperativeId == cooperativeId && o.Fulfilment == FulfilmentKind.Counter, cancellationToken);
        if (seen is null)
        {
            return null;
        }

        var errors = new FieldErrors();
        if (key.Length is 0 or > 100)
        {
            errors.Add("idempotencyKey", "idempotency_key_required", "Send an Idempotency-Key header (up to 100 characters) made once per return.");
        }
        else if (await db.Refunds.AsNoTracking().FirstOrDefaultAsync(r => r.OrderId == orderId && r.RequestKey == key, cancellationToken) is { } done)
        {
            return done;
        }

        var session = request.TillSessionId is { } sessionId
            ? await db.TillSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId && s.CooperativeId == cooperativeId, cancellationToken)
            : null;
        if (session is null)
        {
            errors.Add("tillSessionId", "till_session_required", "The cash goes out of an open till session: choose it.");
        }
        else if (session.Status != TillSessionStatus.Open)
        {
            errors.Add("tillSessionId", "till_closed", "This till session is closed: open one to pay the refund from.");
        }

        var lines = request.Lines ?? [];
        if (lines.Count == 0)
        {
            errors.Add("lines", "empty_return", "Choose at least one item that came back.");
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var sold = line is null ? null : seen.Lines.FirstOrDefault(l => l.Id == line.OrderLineId);
            if (sold is null)
            {
                errors.Add($"lines[{i}].orderLineId", "invalid_line", "That item is not on this receipt.");
                continue;
            }

            var left = sold.Quantity - sold.RefundedQuantity - lines.Take(i).Where(l => l?.OrderLineId == line!.OrderLineId).Sum(l => l!.Quantity);
            if (line!.Quantity <= 0 || line.Quantity > left)
            {
                errors.Add($"lines[{i}].quantity", "more_than_sold", $"{Math.Max(left, 0)} of this item can still be returned.");
            }
        }

        errors.ThrowIfAny();
        var refundLines = lines.Select(l => new RefundLineRequest(l.OrderLineId, l.Quantity)).ToList();
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            if (attempt > 1 && await db.Refunds.AsNoTracking().FirstOrDefaultAsync(r => r.OrderId == orderId && r.RequestKey == key, cancellationToken) is { } raced)
            {
                // The same key sent twice at once: the request that saved first made the refund.
                return raced;
            }

            var order = await db.Orders.FirstAsync(o => o.Id == orderId, cancellationToken);
            var till = await db.TillSessions.FirstAsync(s => s.Id == session!.Id, cancellationToken);
            var now = clock.GetUtcNow();
            var plan = order.PlanRefund(refundLines, includeShipping: false);
            var refund = Refund.Start(order, key, plan, now);
            order.ReturnAtCounter(refund.Id, plan, clerk, now);
            db.TillMovements.Add(till.PayRefund(order.Id, refund.Id, plan.TotalRupiah, clerk, now));
            db.Refunds.Add(refund);
            audit.Record(db, "counter.returned", order.CooperativeId, "order", order.Id, new { receipt = order.ReceiptNumber, order.RefundedRupiah },
                new { refund.Id, refund.TotalRupiah, tillSession = till.Id, lines = refund.Lines.Select(l => new { l.OrderLineId, l.Quantity, l.AmountRupiah }).ToList() });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return refund;
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                // The order or the till changed meanwhile (another return, a sale): decide again on what is there now.
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // The same key raced itself: the other request's refund is this one.
                db.ChangeTracker.Clear();
                return await db.Refunds.AsNoTracking().FirstAsync(r => r.OrderId == orderId && r.RequestKey == key, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Every mistake of the request at its field, at once. Prices are the buyer's: a line whose catalogue price differs
    /// keeps both and is flagged. Stock is not looked at: the goods were in hand.
    /// </summary>
    private async Task<(List<OrderLine> Lines, PaymentChannel Channel, string? Reference, TillSession? Session)> ValidateAsync(
        Guid cooperativeId, Merchant merchant, CounterSaleRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.SoldAt == default || request.SoldAt > now + ClockSkew)
        {
            errors.Add("soldAt", "invalid_sold_at", "The time of the sale is not believable: check the device's clock.");
        }
        else if (request.SoldAt < now - OldestOfflineSale)
        {
            errors.Add("soldAt", "sale_too_old", "A sale older than 14 days is no longer taken: enter it with an admin.");
        }

        var requested = request.Lines ?? [];
        if (requested.Count is 0 or > MaxLines)
        {
            errors.Add("lines", "empty_sale", $"A sale has 1 to {MaxLines} items.");
        }

        var productIds = requested.Where(l => l is not null).Select(l => l.ProductId).Distinct().ToList();
        var sellables = await db.Sellables.AsNoTracking()
            .Where(s => productIds.Contains(s.ProductId) && s.CooperativeId == cooperativeId)
            .ToDictionaryAsync(s => s.ProductId, cancellationToken);
        var memberIds = sellables.Values.Select(s => s.MemberId).Distinct().ToList();
        var makers = await db.MemberHolidays.AsNoTracking()
            .Where(m => memberIds.Contains(m.MemberId) && m.DisplayName != null)
            .ToDictionaryAsync(m => m.MemberId, m => m.DisplayName!, cancellationToken);
        var lines = new List<OrderLine>();
        for (var i = 0; i < requested.Count; i++)
        {
            var line = requested[i];
            var sellable = line is null ? null : sellables.GetValueOrDefault(line.ProductId);
            // Goods at the kiosk stay sellable when out of stock, withdrawn from the web or their maker away: only
            // what is not this cooperative's product is refused.
            var variant = sellable?.Variants.FirstOrDefault(v => v.VariantId == line!.VariantId);
            if (variant is null)
            {
                errors.Add($"lines[{i}].variantId", "unknown_product", "This product is not sold by this cooperative: scan or choose it again.");
                continue;
            }

            if (line!.Quantity is <= 0 or > 999)
            {
                errors.Add($"lines[{i}].quantity", "invalid_quantity", "The quantity is 1 to 999.");
            }

            if (line.UnitPriceRupiah is <= 0 or > 100_000_000)
            {
                errors.Add($"lines[{i}].unitPriceRupiah", "invalid_price", "The price is more than 0 rupiah.");
            }

            lines.Add(new OrderLine(Guid.CreateVersion7(), sellable!.ProductId, variant.VariantId, sellable.MemberId, sellable.Category, sellable.NameId, variant.Label,
                line.Quantity, line.UnitPriceRupiah, variant.WeightGrams, FeePercent: merchant.FeePercentFor(sellable.Category), NameEn: sellable.NameEn,
                ListPriceRupiah: variant.PriceRupiah == line.UnitPriceRupiah ? null : variant.PriceRupiah, MakerName: makers.GetValueOrDefault(sellable.MemberId)));
        }

        var payment = request.Payment;
        var channel = payment?.Channel?.Trim().ToLowerInvariant() switch
        {
            "cash" => PaymentChannel.Cash,
            "qris" => PaymentChannel.Qris,
            _ => (PaymentChannel?)null,
        };
        var total = lines.Sum(l => l.Quantity > 0 ? l.LineTotalRupiah : 0);
        string? reference = null;
        if (channel is null)
        {
            errors.Add("payment.channel", "invalid_channel", "Choose cash or QRIS.");
        }
        else if (channel == PaymentChannel.Cash && (payment!.TenderedRupiah is not { } tendered || tendered < total))
        {
            errors.Add("payment.tenderedRupiah", "tendered_too_little", $"The cash handed over must be at least the total, {Rupiah.Display(total)}.");
        }
        else if (channel == PaymentChannel.Qris)
        {
            reference = string.IsNullOrWhiteSpace(payment!.Reference) ? null : payment.Reference.Trim();
            if (reference is null)
            {
                errors.Add("payment.reference", "reference_required", "Type the reference shown on the QRIS payment notice.");
            }
            else if (reference.Length > 100)
            {
                errors.Add("payment.reference", "invalid_reference", "A payment reference has at most 100 characters.");
            }
        }

        TillSession? session = null;
        if (request.TillSessionId is { } sessionId)
        {
            session = await db.TillSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId && s.CooperativeId == cooperativeId, cancellationToken);
            if (session is null)
            {
                errors.Add("tillSessionId", "unknown_till_session", "This till session is not known here.");
            }
        }
        else if (channel == PaymentChannel.Cash)
        {
            errors.Add("tillSessionId", "till_session_required", "Cash goes into a till: open a till session first.");
        }

        errors.Check("buyerWhatsApp", () => WhatsAppNumber.NormalizeOptional(request.BuyerWhatsApp));
        errors.ThrowIfAny();
        return (lines, channel!.Value, reference, session);
    }

    /// <summary>The sale already recorded under this id: the same sale is answered as it was; another one under its id is refused.</summary>
    private SaleResponse Repeat(Order recorded, Guid cooperativeId, string hash, Merchant merchant)
    {
        if (recorded.CooperativeId != cooperativeId || recorded.Counter?.RequestHash != hash)
        {
            throw new ConflictException("This sale id was already used for a different sale: the device must make a new id for each sale.", "sale_id_reused");
        }

        return SaleResponses.Describe(recorded, merchant, PublicBaseUrl);
    }

    /// <summary>What makes two requests the same sale: everything the buyer and the clerk decided, in a fixed form.</summary>
    public static string Fingerprint(Guid cooperativeId, CounterSaleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{cooperativeId}|{request.SaleId}|{request.TillSessionId}|{request.SoldAt.UtcTicks}|");
        text.Append(CultureInfo.InvariantCulture, $"{request.Payment?.Channel?.Trim().ToLowerInvariant()}|{request.Payment?.TenderedRupiah}|{request.Payment?.Reference?.Trim()}|");
        text.Append(CultureInfo.InvariantCulture, $"{WhatsAppNumber.TryNormalize(request.BuyerWhatsApp) ?? request.BuyerWhatsApp?.Trim()}|{ShopperLanguage.Of(request.Language)}");
        foreach (var line in request.Lines ?? [])
        {
            text.Append(CultureInfo.InvariantCulture, $"|{line?.ProductId},{line?.VariantId},{line?.Quantity},{line?.UnitPriceRupiah}");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
