using System.Globalization;
using System.Text;
using Marketplace.ServiceDefaults.Formatting;

namespace Marketplace.Orders.Settlement.Payouts;

/// <summary>
/// A batch's bank transfers as CSV for a bulk transfer: the confirmed account each line was prepared with (the bank
/// code is what a bulk transfer needs), the amount and the reference. Cash lines are paid at the cooperative.
/// </summary>
public static class BankTransferFile
{
    public static string Write(PayoutBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var csv = new StringBuilder("bank_code,bank,account_number,account_name,amount,reference\n");
        foreach (var line in batch.Lines.Where(l => l.Method == PayoutMethod.Bank).OrderBy(l => l.AccountName, StringComparer.Ordinal))
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{Csv.Quoted(line.BankCode)},{Csv.Quoted(line.Bank)},{Csv.Quoted(line.AccountNumber)},{Csv.Quoted(line.AccountName)},{line.AmountRupiah},{Csv.Field(line.TransferReference())}\n");
        }

        return csv.ToString();
    }
}
