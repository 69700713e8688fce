namespace Marketplace.Orders.Invoices;

/// <summary>
/// A rupiah amount in words, as a kuitansi writes it beside the figures so that neither can be altered alone:
/// "seratus dua puluh lima ribu rupiah" in Indonesian, "one hundred twenty-five thousand rupiah" in English.
/// </summary>
public static class Terbilang
{
    private static readonly string[] IndonesianOnes =
        ["", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas"];

    private static readonly string[] EnglishOnes =
    [
        "", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
        "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] EnglishTens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    private static readonly (long Size, string Indonesian, string English)[] Scales =
    [
        (1_000_000_000_000, "triliun", "trillion"),
        (1_000_000_000, "miliar", "billion"),
        (1_000_000, "juta", "million"),
        (1_000, "ribu", "thousand"),
    ];

    /// <summary>The amount in words followed by "rupiah"; <paramref name="english"/> picks the language.</summary>
    public static string Rupiah(long amount, bool english)
    {
        if (amount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), "An amount paid is never below zero.");
        }

        return (english ? English(amount) : Indonesian(amount)) + " rupiah";
    }

    public static string Indonesian(long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        if (amount == 0)
        {
            return "nol";
        }

        var words = new List<string>();
        var rest = amount;
        foreach (var (size, name, _) in Scales)
        {
            var count = rest / size;
            rest %= size;
            if (count == 0)
            {
                continue;
            }

            // One thousand is "seribu", never "satu ribu"; a million is "satu juta".
            words.Add(size == 1_000 && count == 1 ? "seribu" : Hundreds(count) + " " + name);
        }

        if (rest > 0)
        {
            words.Add(Hundreds(rest));
        }

        return string.Join(' ', words);
    }

    public static string English(long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        if (amount == 0)
        {
            return "zero";
        }

        var words = new List<string>();
        var rest = amount;
        foreach (var (size, _, name) in Scales)
        {
            var count = rest / size;
            rest %= size;
            if (count > 0)
            {
                words.Add(EnglishHundreds(count) + " " + name);
            }
        }

        if (rest > 0)
        {
            words.Add(EnglishHundreds(rest));
        }

        return string.Join(' ', words);
    }

    /// <summary>1 to 999 in Indonesian: "seratus", "sebelas", "dua belas", "dua puluh lima".</summary>
    private static string Hundreds(long n)
    {
        var words = new List<string>();
        var hundreds = n / 100;
        var rest = n % 100;
        if (hundreds > 0)
        {
            words.Add(hundreds == 1 ? "seratus" : IndonesianOnes[hundreds] + " ratus");
        }

        if (rest is > 0 and < 12)
        {
            words.Add(IndonesianOnes[rest]);
        }
        else if (rest is >= 12 and < 20)
        {
            words.Add(IndonesianOnes[rest - 10] + " belas");
        }
        else if (rest >= 20)
        {
            words.Add(IndonesianOnes[rest / 10] + " puluh");
            if (rest % 10 > 0)
            {
                words.Add(IndonesianOnes[rest % 10]);
            }
        }

        return string.Join(' ', words);
    }

    /// <summary>1 to 999 in English: "one hundred twenty-five".</summary>
    private static string EnglishHundreds(long n)
    {
        var words = new List<string>();
        var hundreds = n / 100;
        var rest = n % 100;
        if (hundreds > 0)
        {
            words.Add(EnglishOnes[hundreds] + " hundred");
        }

        if (rest is > 0 and < 20)
        {
            words.Add(EnglishOnes[rest]);
        }
        else if (rest >= 20)
        {
            words.Add(rest % 10 == 0 ? EnglishTens[rest / 10] : EnglishTens[rest / 10] + "-" + EnglishOnes[rest % 10]);
        }

        return string.Join(' ', words);
    }
}
