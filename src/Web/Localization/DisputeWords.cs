namespace Marketplace.Web.Localization;

/// <summary>Stripe's dispute statuses as an admin reads them.</summary>
public static class DisputeWords
{
    public static string Status(Lang l, string code)
    {
        ArgumentNullException.ThrowIfNull(l);
        return code switch
        {
            "needs_response" or "warning_needs_response" => l.T("perlu dijawab", "needs a response"),
            "under_review" or "warning_under_review" => l.T("sedang ditinjau bank", "under review by the bank"),
            "won" => l.T("Menang", "Won"),
            "lost" => l.T("Kalah", "Lost"),
            "warning_closed" => l.T("Pertanyaan bank selesai", "The bank's inquiry is closed"),
            _ => l.T("menunggu Stripe", "waiting for Stripe"),
        };
    }
}
