using Marketplace.Web.Api;

namespace Marketplace.Web.Localization;

/// <summary>The words of receipts and kuitansi, and of the rules on their fields, in the reader's language.</summary>
public static class ReceiptWords
{
    /// <summary>A receipt rule's code said for a person; null when the code is not one of them.</summary>
    public static string? Rule(Lang l, string code)
    {
        ArgumentNullException.ThrowIfNull(l);
        return code switch
        {
            "invalid_npwp" => l.T("NPWP terdiri dari 15 atau 16 angka (boleh dengan titik dan tanda hubung), mis. 01.234.567.8-901.000.",
                "An NPWP has 15 or 16 digits (dots and a dash allowed), e.g. 01.234.567.8-901.000."),
            "institution_required" => l.T("Tulis nama instansi atau usaha yang tercantum di kuitansi.", "Write the name of the institution or business the kuitansi is made out to."),
            "institution_too_long" => l.T("Nama instansi paling banyak 120 huruf.", "The institution's name is at most 120 characters."),
            "address_too_long" => l.T("Alamat paling banyak 300 huruf.", "The address is at most 300 characters."),
            "purpose_too_long" => l.T("Keterangan pembayaran paling banyak 200 huruf.", "What it pays for is at most 200 characters."),
            "order_not_paid" => l.T("Kuitansi baru bisa dibuat setelah pesanan dibayar.", "A kuitansi can be made once the order is paid."),
            _ => null,
        };
    }

    /// <summary>A refusal said in the reader's words, each at its field.</summary>
    public static Problem Localized(Lang l, Problem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return problem.Localized(code => Rule(l, code) ?? Refusals.One(l, code));
    }
}
