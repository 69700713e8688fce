using Marketplace.Web.Localization;

namespace Marketplace.Web.Components.Parts;

public static class ProductStatus
{
    public static string Text(Lang l, string status) => status switch
    {
        "draft" => l.T("Draf", "Draft"),
        "submitted" => l.T("Menunggu tinjauan", "Waiting for review"),
        "published" => l.T("Dijual", "On sale"),
        "rejected" => l.T("Ditolak", "Rejected"),
        "archived" => l.T("Diarsipkan", "Archived"),
        _ => status,
    };
}
