using Marketplace.Web.Api;
using Marketplace.Web.Localization;

namespace Marketplace.Web.Forms;

/// <summary>The cooperative's static QRIS, as the text its sticker's code holds (EMVCo; Orders checks its checksum).</summary>
public sealed class QrisForm
{
    public string? Payload { get; set; }

    public async Task<ApiResult<NoBody>> SaveAsync(OrdersApi orders, Guid cooperativeId, Lang l)
    {
        ArgumentNullException.ThrowIfNull(orders);
        var result = await orders.PutAsync($"/api/orders/merchants/{cooperativeId}/qris", new { payload = Payload?.Trim() });
        return result.Problem is { } problem ? new ApiResult<NoBody> { Problem = problem.Localized(code => CounterWords.Rule(l, code)), Status = result.Status } : result;
    }
}

/// <summary>Above how many rupiah (short or over) a till's difference waits for an admin's review.</summary>
public sealed class TillThresholdForm
{
    public string? Amount { get; set; }

    public async Task<ApiResult<NoBody>> SaveAsync(OrdersApi orders, Guid cooperativeId, Lang l)
    {
        ArgumentNullException.ThrowIfNull(orders);
        if (TillForm.Rupiah(Amount) is not { } amount)
        {
            var text = l.T("Tulis batasnya dalam rupiah, misalnya 10.000.", "Type the limit in rupiah, for example 10.000.");
            return new ApiResult<NoBody>
            {
                Status = System.Net.HttpStatusCode.BadRequest,
                Problem = new Problem(400, text, null, null, new Dictionary<string, string[]> { ["differenceReviewRupiah"] = [text] }),
            };
        }

        var result = await orders.PutAsync($"/api/orders/merchants/{cooperativeId}/till-settings", new { differenceReviewRupiah = amount });
        return result.Problem is { } problem ? new ApiResult<NoBody> { Problem = problem.Localized(code => CounterWords.Rule(l, code)), Status = result.Status } : result;
    }
}

/// <summary>An admin's review of a till's difference above the limit, with her note.</summary>
public sealed class TillReviewForm
{
    public Guid SessionId { get; set; }

    public string? Note { get; set; }

    public async Task<ApiResult<NoBody>> SaveAsync(OrdersApi orders, Guid cooperativeId, Lang l)
    {
        ArgumentNullException.ThrowIfNull(orders);
        var result = await orders.PostAsync($"/api/orders/kiosk/{cooperativeId}/till-sessions/{SessionId}/review", new { note = Note });
        return result.Problem is { } problem ? new ApiResult<NoBody> { Problem = problem.Localized(code => CounterWords.Rule(l, code)), Status = result.Status } : result;
    }
}

/// <summary>
/// Goods of a walk-in sale brought back to the counter: how many of each line, refunded in cash from an open till session.
/// The key is drawn with the page, so a form sent twice (a double tap, a reload) makes one refund.
/// </summary>
public sealed partial class CounterReturnForm
{
    public string? Key { get; set; }

    public Guid? SessionId { get; set; }

    /// <summary>Quantity typed per order line id; empty means none of it came back.</summary>
    public Dictionary<string, string?> Quantities { get; set; } = [];

    public async Task<ApiResult<NoBody>> SendAsync(OrdersApi orders, Guid cooperativeId, Guid orderId, Lang l)
    {
        ArgumentNullException.ThrowIfNull(orders);
        var sent = new List<(string LineId, int Quantity)>();
        var errors = new Dictionary<string, string[]>();
        foreach (var (lineId, typed) in Quantities)
        {
            if (string.IsNullOrWhiteSpace(typed))
            {
                continue;
            }

            if (!int.TryParse(typed.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var quantity))
            {
                errors[$"line-{lineId}"] = [l.T("Tulis jumlah barang yang kembali, angka saja.", "Type how many came back, digits only.")];
                continue;
            }

            if (quantity > 0)
            {
                sent.Add((lineId, quantity));
            }
        }

        if (errors.Count > 0)
        {
            return new ApiResult<NoBody> { Status = System.Net.HttpStatusCode.BadRequest, Problem = new Problem(400, "invalid", null, null, errors) };
        }

        var body = new { tillSessionId = SessionId, lines = sent.Select(s => new { orderLineId = Guid.Parse(s.LineId), quantity = s.Quantity }).ToList() };
        var result = await orders.SendAsync<NoBody>(HttpMethod.Post, $"/api/orders/kiosk/{cooperativeId}/sales/{orderId}/returns", body,
            string.IsNullOrWhiteSpace(Key) ? Guid.NewGuid().ToString() : Key);
        if (result.Problem is not { } problem)
        {
            return result;
        }

        // Orders names lines by their place in the request; the page shows each at the line it belongs to.
        return new ApiResult<NoBody>
        {
            Problem = problem.Localized(code => CounterWords.Rule(l, code), field => AtLine(field, sent.Select(s => s.LineId).ToList())),
            Status = result.Status,
        };
    }

    private static string AtLine(string field, List<string> lineIds)
    {
        var match = LineIndex().Match(field);
        return match.Success && int.TryParse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < lineIds.Count
            ? $"line-{lineIds[i]}"
            : field;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^lines\[(\d+)\]")]
    private static partial System.Text.RegularExpressions.Regex LineIndex();
}
