using System.Globalization;
using System.Text.RegularExpressions;
using Marketplace.Web.Api;
using Marketplace.Web.Localization;

namespace Marketplace.Web.Forms;

/// <summary>
/// Goods a member announces from her phone, a row per product size. "Add a line" is a second submit button, so the form
/// grows without script and keeps what was typed.
/// </summary>
public sealed partial class DeliveryForm
{
    public const int MaxLines = 50;

    /// <summary>Which button was pressed: <c>add</c> (another row) or anything else (announce).</summary>
    public string? Action { get; set; }

    public List<DeliveryRow> Lines { get; set; } = [];

    public string? Note { get; set; }

    public bool AddingLine => Action == "add";

    /// <summary>
    /// Announces the rows she filled in (untouched rows are left out); the refusal is said in her words at the rows she
    /// sees, not at the request's, which skipped the empty ones.
    /// </summary>
    public async Task<ApiResult<KioskDelivery>> AnnounceAsync(CatalogApi catalog, Lang l)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var rows = Lines.Select((line, index) => (line, index)).Where(r => !r.line.Empty).ToList();
        var request = new
        {
            note = Note,
            // An empty quantity is sent as 0 so Catalog names it at its field rather than refusing the whole body.
            lines = rows.Select(r => new
            {
                variantId = r.line.VariantId ?? Guid.Empty,
                quantity = r.line.Quantity ?? 0,
                producedOn = r.line.ProducedOn,
                expiresOn = r.line.ExpiresOn,
                costPerUnitRupiah = r.line.CostPerUnitRupiah,
            }).ToList(),
        };
        var result = await catalog.PostAsync<KioskDelivery>("/api/catalog/deliveries", request);
        if (result.Problem is { } problem)
        {
            return new ApiResult<KioskDelivery> { Problem = problem.Localized(code => DeliveryWords.Rule(l, code), field => AtRow(field, rows.Select(r => r.index).ToList())), Status = result.Status };
        }

        return result;
    }

    private static string AtRow(string field, List<int> rowOfLine)
    {
        var match = LineIndex().Match(field);
        return match.Success && int.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out var sent) && sent < rowOfLine.Count
            ? $"lines[{rowOfLine[sent]}]{field[match.Length..]}"
            : field;
    }

    [GeneratedRegex(@"^lines\[(\d+)\]", RegexOptions.IgnoreCase)]
    private static partial Regex LineIndex();
}

public sealed class DeliveryRow
{
    public Guid? VariantId { get; set; }

    public int? Quantity { get; set; }

    public DateOnly? ProducedOn { get; set; }

    public DateOnly? ExpiresOn { get; set; }

    public long? CostPerUnitRupiah { get; set; }

    public bool Empty => VariantId is null && Quantity is null && ProducedOn is null && ExpiresOn is null && CostPerUnitRupiah is null;
}

/// <summary>An admin's count of a delivery at the kiosk: what she accepts of each line, and why fewer.</summary>
public sealed class ReceiveForm
{
    public List<ReceiveRow> Lines { get; set; } = [];

    /// <summary>All of every line, as the form starts: the admin changes only what she does not accept.</summary>
    public static ReceiveForm All(KioskDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new ReceiveForm { Lines = [.. delivery.Lines.Select(l => new ReceiveRow { LineNo = l.LineNo, Accepted = l.Quantity })] };
    }

    public async Task<ApiResult<KioskDelivery>> ReceiveAsync(CatalogApi catalog, Guid deliveryId, Lang l)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        // An empty count is sent as -1 so Catalog names it at its field rather than refusing the whole body.
        var request = new { lines = Lines.Select(r => new { lineNo = r.LineNo, accepted = r.Accepted ?? -1, reason = r.Reason }).ToList() };
        var result = await catalog.PostAsync<KioskDelivery>($"/api/catalog/deliveries/{deliveryId}/receive", request);
        return result.Problem is { } problem
            ? new ApiResult<KioskDelivery> { Problem = problem.Localized(code => DeliveryWords.Rule(l, code)), Status = result.Status }
            : result;
    }
}

public sealed class ReceiveRow
{
    public int LineNo { get; set; }

    public int? Accepted { get; set; }

    public string? Reason { get; set; }
}
