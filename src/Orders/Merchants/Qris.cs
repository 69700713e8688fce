using System.Globalization;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Orders.Merchants;

/// <summary>
/// The cooperative's static QRIS: the EMVCo merchant-presented payload printed on its sticker. It is only ever shown
/// again as a QR code, so what matters is that it was read whole: it starts with the format indicator (<c>000201</c>),
/// its fields are well-formed tag-length-value, and it ends with tag 63, the CRC-16/CCITT-FALSE of everything before
/// the CRC's own four digits.
/// </summary>
public static class Qris
{
    private const string Field = "payload";

    /// <summary>The payload trimmed, or a refusal at <c>payload</c>.</summary>
    public static string Validate(string? payload)
    {
        var text = payload?.Trim() ?? string.Empty;
        static ValidationFailedException Refuse(string code, string message) => new([new FieldError(Field, code, message)]);

        if (text.Length is < 20 or > 512 || !text.StartsWith("000201", StringComparison.Ordinal))
        {
            throw Refuse("invalid_qris", "That is not a QRIS code: it starts with 000201 (scan the sticker again).");
        }

        // Walk the fields: each is a 2-digit tag, a 2-digit length and that many characters; the CRC must be the last.
        var position = 0;
        var sawCrc = false;
        while (position < text.Length)
        {
            if (sawCrc || position + 4 > text.Length
                || !int.TryParse(text.AsSpan(position + 2, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || position + 4 + length > text.Length)
            {
                throw Refuse("invalid_qris", "The QRIS code is incomplete or damaged: scan the sticker again.");
            }

            sawCrc = text.AsSpan(position, 2) is "63";
            if (sawCrc && length != 4)
            {
                throw Refuse("invalid_qris", "The QRIS code is incomplete or damaged: scan the sticker again.");
            }

            position += 4 + length;
        }

        if (!sawCrc)
        {
            throw Refuse("invalid_qris", "The QRIS code has no checksum (tag 63): scan the sticker again.");
        }

        var expected = Crc16CcittFalse(text.AsSpan(0, text.Length - 4)).ToString("X4", CultureInfo.InvariantCulture);
        if (!string.Equals(expected, text[^4..], StringComparison.OrdinalIgnoreCase))
        {
            throw Refuse("qris_checksum", "The QRIS code's checksum does not match: it was misread, scan the sticker again.");
        }

        return text;
    }

    /// <summary>CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no reflection, no final xor) over the characters as bytes.</summary>
    public static ushort Crc16CcittFalse(ReadOnlySpan<char> text)
    {
        var crc = 0xFFFF;
        foreach (var c in text)
        {
            crc ^= (c & 0xFF) << 8;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
                crc &= 0xFFFF;
            }
        }

        return (ushort)crc;
    }
}
