namespace Marketplace.ServiceDefaults.Formatting;

/// <summary>
/// The eight characters people read, say and type for a record (a delivery receipt's number, an order on a stock
/// card, a PDF's file name). Ids are version-7 UUIDs: their first characters are the creation time, so everything
/// made within the same minute starts alike; the last characters are random, so those are the ones shown.
/// </summary>
public static class ShortReference
{
    public static string Of(Guid id) => id.ToString("N")[^8..].ToUpperInvariant();
}
