namespace Marketplace.ServiceDefaults.Formatting;

/// <summary>A bank members can be paid to: its three-digit transfer code (kode bank), the name people know it by.</summary>
/// <param name="AccountDigits">
/// How many digits its account numbers have, where that is well known (BCA, BNI 10; Mandiri 13; BRI 15); null where
/// it varies or is unsure: then any plausible length is accepted and the second admin's check is what protects.
/// </param>
public sealed record IndonesianBank(string Code, string Name, int? AccountDigits = null);

/// <summary>
/// The banks members of the cooperatives use, and the rules a bank account (rekening) must meet before anyone is
/// asked to confirm it. Shared by Settlement (which enforces them) and Web (which explains them in the reader's language).
/// </summary>
public static class IndonesianBanks
{
    public const int MinimumDigits = 8;

    public const int MaximumDigits = 18;

    public const int MaximumHolderLength = 100;

    public static IReadOnlyList<IndonesianBank> All { get; } =
    [
        new("002", "BRI", 15),
        new("009", "BNI", 10),
        new("008", "Bank Mandiri", 13),
        new("014", "BCA", 10),
        new("451", "BSI (Bank Syariah Indonesia)"),
        new("200", "BTN"),
        new("114", "Bank Jatim"),
        new("022", "CIMB Niaga"),
        new("011", "Bank Danamon"),
        new("013", "Bank Permata"),
        new("016", "Maybank Indonesia"),
        new("019", "Panin Bank"),
        new("028", "OCBC NISP"),
        new("147", "Bank Muamalat"),
        new("110", "Bank BJB"),
        new("113", "Bank Jateng"),
        new("111", "Bank DKI"),
        new("153", "Bank Sinarmas"),
        new("213", "Bank BTPN"),
        new("426", "Bank Mega"),
        new("441", "KB Bank (Bukopin)"),
        new("535", "SeaBank"),
        new("542", "Bank Jago"),
    ];

    public static IndonesianBank? Find(string? code) => All.FirstOrDefault(b => b.Code == code?.Trim());

    /// <summary>The digits of an account number as people write it (with spaces, dots or dashes between groups).</summary>
    public static string Digits(string? accountNumber) =>
        new((accountNumber ?? string.Empty).Where(c => c is >= '0' and <= '9').ToArray());

    /// <summary>
    /// Every rule the account breaks, by field (<c>bank</c>, <c>accountNumber</c>, <c>accountName</c>), each with a code:
    /// <c>bank_missing</c>, <c>bank_unknown</c>, <c>number_missing</c>, <c>number_not_digits</c>, <c>number_length</c>,
    /// <c>holder_missing</c>, <c>holder_too_long</c>. Empty when the account may be proposed.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Check(string? bankCode, string? accountNumber, string? accountName)
    {
        var errors = new Dictionary<string, string>();
        var bank = Find(bankCode);
        if (string.IsNullOrWhiteSpace(bankCode))
        {
            errors["bank"] = "bank_missing";
        }
        else if (bank is null)
        {
            errors["bank"] = "bank_unknown";
        }

        var number = (accountNumber ?? string.Empty).Trim();
        if (number.Length == 0)
        {
            errors["accountNumber"] = "number_missing";
        }
        else if (!number.All(c => c is (>= '0' and <= '9') or ' ' or '-' or '.'))
        {
            errors["accountNumber"] = "number_not_digits";
        }
        else
        {
            var digits = Digits(number).Length;
            var fits = bank?.AccountDigits is { } exact ? digits == exact : digits is >= MinimumDigits and <= MaximumDigits;
            if (!fits)
            {
                errors["accountNumber"] = "number_length";
            }
        }

        var holder = (accountName ?? string.Empty).Trim();
        if (holder.Length == 0)
        {
            errors["accountName"] = "holder_missing";
        }
        else if (holder.Length > MaximumHolderLength)
        {
            errors["accountName"] = "holder_too_long";
        }

        return errors;
    }
}
