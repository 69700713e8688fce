namespace Marketplace.Web.Localization;

/// <summary>What Stripe still needs from a cooperative, in the admin's words rather than Stripe's field keys.</summary>
public static class StripeWords
{
    /// <summary>
    /// Stripe's <c>requirements.currently_due</c> keys (<c>representative.first_name</c>, <c>external_account</c>...) as
    /// the few things an admin recognises, each once, in a steady order.
    /// </summary>
    public static IReadOnlyList<string> Due(Lang l, IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(keys);
        return keys.Select(Group).Distinct().Order().Select(g => g switch
        {
            1 => l.T("profil usaha: nama dan apa yang dijual", "business profile: name and what it sells"),
            2 => l.T("data pengurus yang mewakili koperasi (nama, NIK)", "the representative's details (name, ID number)"),
            3 => l.T("data badan usaha koperasi", "the cooperative's company details"),
            4 => l.T("rekening bank untuk pencairan dana", "the bank account payouts go to"),
            5 => l.T("persetujuan syarat layanan Stripe", "acceptance of Stripe's terms of service"),
            _ => l.T("data lain yang diminta Stripe", "other details Stripe asks for"),
        }).ToList();
    }

    private static int Group(string key) => key.Split('.')[0] switch
    {
        "business_profile" or "business_type" => 1,
        "representative" or "person" or "individual" or "owners" or "directors" or "executives" or "relationship" => 2,
        "company" => 3,
        "external_account" => 4,
        "tos_acceptance" => 5,
        // A person's key is "person_xxx.first_name".
        var other when other.StartsWith("person_", StringComparison.Ordinal) => 2,
        _ => 6,
    };

    /// <summary>A payment method type (<c>card</c>, <c>qris</c>, <c>gopay</c>) as a shopper knows it.</summary>
    public static string Method(Lang l, string type)
    {
        ArgumentNullException.ThrowIfNull(l);
        return type switch
        {
            "card" => l.T("kartu", "card"),
            "qris" => "QRIS",
            "gopay" => "GoPay",
            _ => l.T("metode lain", "another method"),
        };
    }

    /// <summary>Methods as one phrase: "kartu, QRIS atau GoPay" / "card, QRIS or GoPay".</summary>
    public static string Methods(Lang l, IReadOnlyList<string> types)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(types);
        var words = types.Select(t => Method(l, t)).Distinct().ToList();
        return words.Count switch
        {
            0 => string.Empty,
            1 => words[0],
            _ => string.Join(", ", words[..^1]) + l.T(" atau ", " or ") + words[^1],
        };
    }
}
