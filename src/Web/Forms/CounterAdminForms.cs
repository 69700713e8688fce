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
