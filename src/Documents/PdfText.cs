using PdfSharp.Drawing;

namespace Marketplace.Documents;

/// <summary>Text laid out in a PDF page's columns.</summary>
public static class PdfText
{
    /// <summary>Breaks text at spaces into lines no wider than <paramref name="room"/> (a longer word stays whole, on a line of its own).</summary>
    public static List<string> Wrap(XGraphics measure, string text, XFont font, double room)
    {
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(text);
        var lines = new List<string>();
        var current = string.Empty;
        foreach (var word in text.Split(' '))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (measure.MeasureString(candidate, font).Width <= room || current.Length == 0)
            {
                current = candidate;
            }
            else
            {
                lines.Add(current);
                current = word;
            }
        }

        lines.Add(current);
        return lines;
    }
}
