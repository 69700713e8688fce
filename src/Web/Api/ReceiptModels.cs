namespace Marketplace.Web.Api;

/// <summary>The institution a paid order's kuitansi is made out to (Orders' answer); <see cref="NpwpDisplay"/> as printed.</summary>
public sealed record Kuitansi(string Institution, string? Address, string? Npwp, string? NpwpDisplay, string? Purpose, DateTimeOffset RequestedAt);

/// <summary>The cooperative's address and NPWP as its receipts print them.</summary>
public sealed record ReceiptDetails(string? Address, string? Npwp, string? NpwpDisplay);

/// <summary>Where a browser fetches a paid order's receipt: Orders' PDF, reached through the Gateway with the buyer's own cookies.</summary>
public static class ReceiptLinks
{
    public static string Pdf(Guid orderId, string language) => $"/api/orders/orders/{orderId}/receipt.pdf?lang={language}";
}
