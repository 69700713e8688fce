namespace Marketplace.Web.Localization;

/// <summary>Catalog's rules for a member's holiday (libur), said in the reader's language; the limits are Catalog's <c>Member</c>'s.</summary>
public static class HolidayRules
{
    public static string Text(Lang l, string code)
    {
        ArgumentNullException.ThrowIfNull(l);
        return code switch
        {
            "away_from_required" => l.T("Isi tanggal mulai libur.", "Give the first day of the holiday."),
            "away_from_past" => l.T("Libur mulai paling cepat hari ini.", "A holiday starts today at the earliest."),
            "away_from_too_far" => l.T("Libur mulai paling lambat satu tahun dari sekarang.", "A holiday starts within a year from now."),
            "away_until_required" => l.T("Isi tanggal terakhir libur.", "Give the last day of the holiday."),
            "away_until_before_from" => l.T("Tanggal terakhir sama dengan atau sesudah tanggal mulai.", "The last day is on or after the first."),
            "away_until_past" => l.T("Tanggal terakhir paling cepat hari ini.", "The last day is today or later."),
            "holiday_too_long" => l.T("Libur paling lama 90 hari. Untuk lebih lama, bicarakan dengan pengurus.", "A holiday lasts at most 90 days. For longer, talk to the cooperative's admins."),
            _ => Refusals.One(l, code),
        };
    }
}
