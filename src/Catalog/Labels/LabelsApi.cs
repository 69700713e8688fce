using Marketplace.Catalog.Common;
using Marketplace.Catalog.Data;
using Marketplace.Catalog.Products;
using Marketplace.Documents;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdfSharp.Drawing;
using PdfSharp.Drawing.Layout;
using PdfSharp.Pdf;
using QRCoder;

namespace Marketplace.Catalog.Labels;

/// <summary>QR codes that lead to a product's page, and the kiosk's printable shelf labels.</summary>
public static class LabelsApi
{
    public static RouteGroupBuilder MapLabelsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/products/{id:guid}/qr.svg", QrCodeAsync)
            .WithTags("Labels")
            .WithName("ProductQrCode")
            .WithSummary("A QR code (SVG) that opens the product's page.");
        // Another cooperative's labels do not exist for this admin.
        api.MapGet("/cooperatives/{cooperativeId:guid}/shelf-labels.pdf", ShelfLabelsAsync)
            .RequireAdminOfRouteCooperative(hideFromOthers: true)
            .WithTags("Labels")
            .WithName("ShelfLabels")
            .WithSummary("A4 sheets of shelf labels for every product on sale: name, prices, QR code, permits and halal status.");
        return api;
    }

    public static async Task<Results<ContentHttpResult, NotFound>> QrCodeAsync(
        Guid id, CatalogDbContext db, IOptions<ProductLinkOptions> links, CancellationToken cancellationToken)
    {
        if (!await db.Products.AnyAsync(p => p.Id == id && p.OnSale, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(ProductLinks.PageOf(links.Value, id), QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(8);
        return TypedResults.Content(svg, "image/svg+xml");
    }

    public static async Task<Results<FileContentHttpResult, NotFound>> ShelfLabelsAsync(
        Guid cooperativeId, CatalogDbContext db, IOptions<ProductLinkOptions> links, TimeProvider clock, CancellationToken cancellationToken)
    {
        var products = await db.Products.AsNoTracking().Include(p => p.Variants)
            .Where(p => p.CooperativeId == cooperativeId && p.OnSale)
            .OrderBy(p => p.Listing.NameId)
            .Take(500)
            .ToListAsync(cancellationToken);
        var pdf = ShelfLabelSheet.Render(products, links.Value, clock.Today(await db.TimeZoneOfAsync(cooperativeId, cancellationToken)));
        return TypedResults.File(pdf, "application/pdf", "label-rak.pdf");
    }
}

/// <summary>Lays out shelf labels, three across and seven down on A4 (70 x 42 mm each).</summary>
public static class ShelfLabelSheet
{
    private const int Columns = 3;
    private const int Rows = 7;
    private static readonly double LabelWidth = XUnit.FromMillimeter(70).Point;
    private static readonly double LabelHeight = XUnit.FromMillimeter(42.3).Point;

    public static byte[] Render(IReadOnlyList<Product> products, ProductLinkOptions links, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(products);
        EmbeddedFontResolver.Install();
        using var document = new PdfDocument();
        document.Info.Title = "Label rak kios";
        var title = new XFont(EmbeddedFontResolver.Family, 9, XFontStyleEx.Bold);
        var body = new XFont(EmbeddedFontResolver.Family, 7, XFontStyleEx.Regular);
        var price = new XFont(EmbeddedFontResolver.Family, 8, XFontStyleEx.Bold);

        PdfPage? page = null;
        XGraphics? graphics = null;
        try
        {
            for (var i = 0; i < Math.Max(products.Count, 1); i++)
            {
                if (i % (Columns * Rows) == 0)
                {
                    graphics?.Dispose();
                    page = document.AddPage();
                    page.Width = XUnit.FromMillimeter(210);
                    page.Height = XUnit.FromMillimeter(297);
                    graphics = XGraphics.FromPdfPage(page);
                }

                if (products.Count == 0)
                {
                    graphics!.DrawString("Belum ada produk yang dijual.", title, XBrushes.Black, new XPoint(40, 60));
                    break;
                }

                var slot = i % (Columns * Rows);
                var x = XUnit.FromMillimeter(0).Point + (slot % Columns * LabelWidth);
                var y = XUnit.FromMillimeter(0).Point + (slot / Columns * LabelHeight);
                DrawLabel(graphics!, products[i], links, today, new XRect(x, y, LabelWidth, LabelHeight), title, body, price);
            }
        }
        finally
        {
            graphics?.Dispose();
        }

        using var output = new MemoryStream();
        document.Save(output);
        return output.ToArray();
    }

    private static void DrawLabel(XGraphics g, Product product, ProductLinkOptions links, DateOnly today, XRect area, XFont title, XFont body, XFont priceFont)
    {
        const double pad = 6;
        g.DrawRectangle(new XPen(XColors.LightGray, 0.5), area);
        var qrSize = area.Height - (2 * pad);
        PdfQrCode.Draw(g, ProductLinks.PageOf(links, product.Id), new XRect(area.Right - pad - qrSize, area.Top + pad, qrSize, qrSize));

        var text = new XTextFormatter(g);
        var textWidth = area.Width - qrSize - (3 * pad);
        text.DrawString(product.Listing.NameId, title, XBrushes.Black, new XRect(area.Left + pad, area.Top + pad, textWidth, 22));
        var line = area.Top + pad + 24;
        foreach (var variant in product.Variants.Where(v => v.Active).Take(3))
        {
            g.DrawString($"{variant.Label}  {Rupiah.Display(variant.PriceRupiah)}", priceFont, XBrushes.Black, new XPoint(area.Left + pad, line + 8));
            line += 10;
        }

        var permits = new List<string>();
        if (product.Listing.PirtNumber is { } pirt)
        {
            permits.Add(pirt.StartsWith("P-IRT", StringComparison.OrdinalIgnoreCase) ? pirt : $"P-IRT {pirt}");
        }

        if (product.Listing.BpomNumber is { } bpom)
        {
            permits.Add(bpom);
        }

        if (ProductCategories.IsFood(product.Category))
        {
            permits.Add(Compliance.IsHalalCertified(product.Listing, today)
                ? $"HALAL {product.Listing.HalalCertificateNumber}"
                : "Belum bersertifikat halal");
        }

        text.DrawString(string.Join("\n", permits), body, XBrushes.Black, new XRect(area.Left + pad, line + 2, textWidth, area.Bottom - line - pad));
    }
}
