namespace Marketplace.Notifications.Deliveries;

public static class Addresses
{
    /// <summary>Enough of an address to tell two people apart, not enough to copy it: +62812••••7890, s•••@mail.test.</summary>
    public static string? Masked(string? address)
    {
        if (address is null)
        {
            return null;
        }

        var at = address.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            return $"{address[0]}•••{address[at..]}";
        }

        return address.Length <= 8 ? new string('•', address.Length) : $"{address[..6]}••••{address[^4..]}";
    }
}
