using Marketplace.Web.Api;
using Marketplace.Web.Localization;

namespace Marketplace.Web.Forms;

/// <summary>
/// A form on a till (open it with a float, move cash with a reason, close it with the cash counted). Amounts are typed
/// as the clerk writes them (<c>50.000</c>, <c>Rp 50000</c>): only the digits count, and an amount with none is refused
/// at its field here rather than sent.
/// </summary>
public sealed class TillForm
{
    public Guid TillId { get; set; }

    public Guid SessionId { get; set; }

    public string? Amount { get; set; }

    public string? Direction { get; set; }

    public string? Reason { get; set; }

    public string? Note { get; set; }

    public static long? Rupiah(string? typed)
    {
        var digits = new string((typed ?? string.Empty).Where(char.IsAsciiDigit).ToArray());
        return digits.Length is > 0 and <= 15 ? long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    public Task<ApiResult<TillReport>> OpenAsync(OrdersApi orders, Guid cooperativeId, Lang l) =>
        SendAsync(orders, l, "floatRupiah", $"/api/orders/kiosk/{cooperativeId}/tills/{TillId}/sessions", amount => new { floatRupiah = amount });

    public Task<ApiResult<TillReport>> MoveAsync(OrdersApi orders, Guid cooperativeId, Lang l) =>
        SendAsync(orders, l, "amountRupiah", $"/api/orders/kiosk/{cooperativeId}/till-sessions/{SessionId}/cash-movements",
            amount => new { amountRupiah = amount, direction = Direction, reason = Reason });

    public Task<ApiResult<TillReport>> CloseAsync(OrdersApi orders, Guid cooperativeId, Lang l) =>
        SendAsync(orders, l, "countedRupiah", $"/api/orders/kiosk/{cooperativeId}/till-sessions/{SessionId}/close",
            amount => new { countedRupiah = amount, note = Note });

    private async Task<ApiResult<TillReport>> SendAsync(OrdersApi orders, Lang l, string amountField, string path, Func<long, object> body)
    {
        ArgumentNullException.ThrowIfNull(orders);
        if (Rupiah(Amount) is not { } amount)
        {
            var text = l.T("Tulis jumlahnya dalam rupiah, misalnya 50.000.", "Type the amount in rupiah, for example 50.000.");
            return new ApiResult<TillReport>
            {
                Status = System.Net.HttpStatusCode.BadRequest,
                Problem = new Problem(400, text, null, null, new Dictionary<string, string[]> { [amountField] = [text] }),
            };
        }

        var result = await orders.PostAsync<TillReport>(path, body(amount));
        if (result.Problem is not { } problem)
        {
            return result;
        }

        // A conflict (already open, closed meanwhile) names no field: it is said above the form, in words.
        var localized = problem.Localized(code => CounterWords.Rule(l, code));
        return new ApiResult<TillReport> { Problem = localized, Status = result.Status };
    }
}
