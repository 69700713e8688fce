using QRCoder;

namespace Marketplace.Web;

/// <summary>The pickup code as a QR code the kiosk scans, drawn as inline SVG (no image request, sharp at any size).</summary>
public static class PickupQr
{
    public static string Svg(string pickupCode)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(pickupCode, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4);
    }
}
