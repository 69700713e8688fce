using Marketplace.ServiceDefaults.Formatting;
using Marketplace.Web.Api;
using Marketplace.Web.Localization;

namespace Marketplace.Web.Forms;

/// <summary>A bank account as typed into a form: the member's own, or one an admin proposes on her behalf.</summary>
public sealed class BankAccountForm
{
    public string? Bank { get; set; }

    public string? AccountNumber { get; set; }

    public string? AccountName { get; set; }

    public object Request => new { bank = Bank, accountNumber = AccountNumber, accountName = AccountName };

    /// <summary>
    /// The rules Settlement applies, checked before sending so that every mistake is named at its field at once, in
    /// the reader's language; null when there is none.
    /// </summary>
    public Problem? Mistakes(Lang l)
    {
        var rules = IndonesianBanks.Check(Bank, AccountNumber, AccountName);
        if (rules.Count == 0)
        {
            return null;
        }

        var digits = IndonesianBanks.Find(Bank)?.AccountDigits;
        return new Problem(400, l.T("Rekening belum lengkap", "The account is not complete"), null, "invalid_payout_account",
            rules.ToDictionary(r => r.Key, r => new[] { l.AccountRule(r.Value, digits) }));
    }
}
