using Marketplace.ServiceDefaults.Formatting;
using Marketplace.Web.Api;
using Marketplace.Web.Localization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Marketplace.Web.Forms;

/// <summary>
/// The small forms of the pages (a button, a quantity, a reason): each posts here, with the page's antiforgery
/// token, does one thing through the services' APIs and returns to the page it came from, with a notice or with
/// the service's explanation of why not. The larger forms (checkout, a product) are handled by their page, so
/// that what was typed stays in the fields next to their errors.
/// </summary>
public static class WebForms
{
    public static WebApplication MapWebForms(this WebApplication app)
    {
        app.MapGet("/bahasa/{code}", (string code, string? kembali, HttpContext http) =>
        {
            http.Response.Cookies.Append(Lang.Cookie, code == "en" ? "en" : "id", new CookieOptions
            {
                MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax, HttpOnly = true, Secure = http.Request.IsHttps, Path = "/",
            });
            return Results.LocalRedirect(LocalPaths.OrHome(kembali));
        });

        // Every form here carries the page's antiforgery token, and every endpoint checks it itself: the framework
        // checks it only for endpoints that bind form fields, and an action like "suspend this member" binds none.
        var forms = app.MapGroup(string.Empty).DisableAntiforgery().AddEndpointFilter(async (context, next) =>
        {
            var antiforgery = context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context.HttpContext))
            {
                return TypedResults.Problem("This form is out of date or did not come from the marketplace's own page. Reload the page and try again.",
                    statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid antiforgery token");
            }

            return await next(context);
        });

        // Removes a line from the basket page (quantity 0); a new quantity is checked against the stock by the page itself.
        forms.MapPost("/keranjang/baris", async ([FromForm] Guid cooperativeId, [FromForm] Guid productId, [FromForm] Guid variantId, [FromForm] int quantity,
            [FromForm] string? returnUrl, OrdersApi orders, CancellationToken ct) =>
        {
            var result = await orders.PutAsync($"/api/orders/baskets/{cooperativeId}/lines/{variantId}", new { productId, quantity }, ct);
            return Back(returnUrl ?? Paths.Basket, result, quantity == 0 ? "removed" : "updated");
        });

        MapMemberForms(forms);
        MapAdminForms(forms);
        forms.MapPayoutAccountForms();
        forms.MapCostForms();
        return app;
    }

    private static void MapMemberForms(RouteGroupBuilder app)
    {
        app.MapPost("/anggota/produk/{id:guid}/ajukan", async (Guid id, CatalogApi catalog, CancellationToken ct) =>
            Back(Paths.MemberProduct(id), await catalog.PostAsync($"/api/catalog/products/{id}/submit", null, ct), "submitted"));

        app.MapPost("/anggota/produk/{id:guid}/harga", async (Guid id, [FromForm] Guid variantId, [FromForm] long priceRupiah, CatalogApi catalog, CancellationToken ct) =>
            Back(Paths.MemberProduct(id), await catalog.PutAsync($"/api/catalog/products/{id}/variants/{variantId}/price", new { priceRupiah }, ct), "saved"));

        app.MapPost("/anggota/produk/{id:guid}/ukuran", async (Guid id, [FromForm] string? sku, [FromForm] string label, [FromForm] long priceRupiah,
            [FromForm] int weightGrams, CatalogApi catalog, CancellationToken ct) =>
            Back(Paths.MemberProduct(id), await catalog.PostAsync($"/api/catalog/products/{id}/variants",
                new { sku = string.IsNullOrWhiteSpace(sku) ? $"V-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}" : sku, label, priceRupiah, weightGrams }, ct), "saved"));

        app.MapPost("/anggota/produk/{id:guid}/stok/{variantId:guid}/kelompok/{batchId:guid}/harga-pokok", async (Guid id, Guid variantId, Guid batchId,
            [FromForm] long? costPerUnitRupiah, CatalogApi catalog, CancellationToken ct) =>
            Back(Paths.MemberStockCard(id, variantId), await catalog.PutAsync($"/api/catalog/products/{id}/variants/{variantId}/batches/{batchId}/cost", new { costPerUnitRupiah }, ct),
                "batch-cost-saved"));

        app.MapPost("/anggota/ulasan/{id:guid}/balas", async (Guid id, [FromForm] string? text, CatalogApi catalog, CancellationToken ct) =>
            Back(Paths.MemberReviews, await catalog.PostAsync($"/api/catalog/reviews/{id}/reply", new { text = text ?? string.Empty }, ct), "replied"));

        app.MapPost("/anggota/pesanan/{orderId:guid}/{lineId:guid}/siap", async (Guid orderId, Guid lineId, OrdersApi orders, CancellationToken ct) =>
            Back(Paths.MemberOrders, await orders.PostAsync($"/api/orders/orders/{orderId}/lines/{lineId}/ready", null, ct), "ready"));
    }

    private static void MapAdminForms(RouteGroupBuilder app)
    {
        app.MapPost("/admin/produk/{id:guid}/setujui", async (Guid id, CatalogApi catalog, CancellationToken ct) =>
            Back(Paths.AdminReview, await catalog.PostAsync($"/api/catalog/products/{id}/approve", null, ct), "approved"));

        app.MapPost("/admin/produk/{id:guid}/tolak", async (Guid id, [FromForm] string? reason, CatalogApi catalog, CancellationToken ct) =>
            Back(Paths.AdminReview, await catalog.PostAsync($"/api/catalog/products/{id}/reject", new { reason = reason ?? string.Empty }, ct), "rejected"));

        app.MapPost("/admin/ulasan/{id:guid}/setujui", async (Guid id, [FromForm] Guid cooperativeId, CatalogApi catalog, CancellationToken ct) =>
            Back($"{Paths.AdminProductReviews}?koperasi={cooperativeId}", await catalog.PostAsync($"/api/catalog/reviews/{id}/approve", null, ct), "review-approved"));

        app.MapPost("/admin/ulasan/{id:guid}/tolak", async (Guid id, [FromForm] Guid cooperativeId, [FromForm] string? reason, CatalogApi catalog, CancellationToken ct) =>
            Back($"{Paths.AdminProductReviews}?koperasi={cooperativeId}",
                await catalog.PostAsync($"/api/catalog/reviews/{id}/reject", new { reason = reason ?? string.Empty }, ct), "review-rejected"));

        app.MapPost("/admin/anggota/{id:guid}/{action:regex(^(suspend|reactivate)$)}", async (Guid id, string action, CatalogApi catalog, CancellationToken ct) =>
            Back(Paths.AdminMembers, await catalog.PostAsync($"/api/catalog/members/{id}/{action}", null, ct), action));

        app.MapPost("/admin/pesanan/{orderId:guid}/bayar", async (Guid orderId, [FromForm] Guid cooperativeId, [FromForm] string method, [FromForm] string? reference,
            [FromForm] string pickupCode, [FromForm] Guid? tillSessionId, OrdersApi orders, CancellationToken ct) =>
            Back(Paths.KioskOrder(pickupCode), await orders.PostAsync($"/api/orders/kiosk/{cooperativeId}/orders/{orderId}/payment", new { method, reference, tillSessionId }, ct), "paid"));

        // A paid kiosk order's cash goes back out of the till chosen on the form.
        app.MapPost("/admin/pesanan/{orderId:guid}/{step:regex(^(hand-over|deliver|cancel)$)}", async (Guid orderId, string step, [FromForm] string pickupCode,
            [FromForm] Guid? tillSessionId, OrdersApi orders, CancellationToken ct) =>
            Back(Paths.KioskOrder(pickupCode), await orders.PostAsync(
                $"/api/orders/orders/{orderId}/{step}{(step == "cancel" && tillSessionId is { } till ? $"?tillSessionId={till}" : string.Empty)}", null, ct), step));

        app.MapPost("/admin/pesanan/{orderId:guid}/kirim", async (Guid orderId, [FromForm] string courier, [FromForm] string trackingNumber, [FromForm] string pickupCode,
            OrdersApi orders, CancellationToken ct) =>
            Back(Paths.KioskOrder(pickupCode), await orders.PostAsync($"/api/orders/orders/{orderId}/ship", new { courier, trackingNumber }, ct), "shipped"));

        app.MapPost("/admin/pesanan/{orderId:guid}/refund", async (Guid orderId, IFormCollection form, OrdersApi orders, CancellationToken ct) =>
        {
            var lines = form.Keys.Where(k => k.StartsWith("qty-", StringComparison.Ordinal))
                .Select(k => (Line: Guid.TryParse(k[4..], out var line) ? line : (Guid?)null, Quantity: int.TryParse(form[k], out var q) ? q : 0))
                .Where(l => l.Line is not null && l.Quantity > 0)
                .Select(l => new { lineId = l.Line!.Value, quantity = l.Quantity })
                .ToList();
            // The key was fixed when the form was drawn: sending the form twice refunds once.
            var tillSessionId = Guid.TryParse(form["tillSessionId"], out var till) ? till : (Guid?)null;
            var result = await orders.PostOnceAsync($"/api/orders/orders/{orderId}/refunds", new { lines, shipping = form["shipping"] == "on", tillSessionId },
                form["requestKey"].ToString(), ct);
            return Back(Paths.KioskOrder(form["pickupCode"].ToString()), result, "refunded");
        });

        app.MapPost("/admin/pesan/{messageId:guid}/kirim-ulang", async (Guid messageId, [FromForm] Guid cooperativeId, NotificationsApi notifications, CancellationToken ct) =>
            Back($"{Paths.AdminMessages}?koperasi={cooperativeId}", await notifications.PostAsync($"/api/notifications/deliveries/{messageId}/resend", null, ct), "resent"));

        app.MapPost("/admin/pembayaran/{batchId:guid}/setujui", async (Guid batchId, SettlementApi settlement, CancellationToken ct) =>
            Back(Paths.AdminPayout(batchId), await settlement.PostAsync($"/api/settlement/payout-batches/{batchId}/approve", null, ct), "approved"));

        app.MapPost("/admin/pembayaran/{batchId:guid}/{memberId:guid}/{outcome:regex(^(paid|failed)$)}", async (Guid batchId, Guid memberId, string outcome,
            [FromForm] string? reference, SettlementApi settlement, CancellationToken ct) =>
            Back(Paths.AdminPayout(batchId), await settlement.PostAsync($"/api/settlement/payout-batches/{batchId}/members/{memberId}/{outcome}",
                new { reference = reference ?? string.Empty }, ct), outcome));
    }

    /// <summary>
    /// Back to the page, saying what happened: <c>?notice=</c> and a fixed text on success; on a refusal the
    /// rules' codes travel in a short-lived cookie, never in the address, so a link cannot make the marketplace's
    /// pages display words of someone else's choosing, and the page says them in its reader's language.
    /// </summary>
    public static IResult Back<T>(string returnUrl, ApiResult<T> result, string notice) =>
        new BackToPage(RemoveQuery(LocalPaths.OrHome(returnUrl), "notice"), result.Ok ? notice : null, result.Problem is { } problem ? Refusals.Codes(problem) : null);

    private sealed class BackToPage(string target, string? notice, string? error) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (error is not null)
            {
                httpContext.Response.Cookies.Append(Flash.Cookie, error, Flash.Options(httpContext));
            }

            var location = notice is null ? target : QueryHelpers.AddQueryString(target, "notice", notice);
            httpContext.Response.Redirect(location);
            return Task.CompletedTask;
        }
    }

    private static string RemoveQuery(string path, params string[] names)
    {
        var question = path.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return path;
        }

        var query = QueryHelpers.ParseQuery(path[question..]);
        var kept = query.Where(q => !names.Contains(q.Key)).SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)));
        return QueryHelpers.AddQueryString(path[..question], kept);
    }
}
