using System.Globalization;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.Web.Api;

namespace Marketplace.Web.Localization;

/// <summary>The words of the stock card, the shelf count and expiry, in the reader's language.</summary>
public static class StockWords
{
    /// <summary>What Catalog writes as the maker of a line that nobody made by hand.</summary>
    public const string System = "system";

    public static string Kind(Lang l, string kind)
    {
        ArgumentNullException.ThrowIfNull(l);
        return kind switch
        {
            "received" => l.T("Diterima", "Received"),
            "sold_online" => l.T("Terjual online", "Sold online"),
            "sold_at_counter" => l.T("Terjual di kios", "Sold at the counter"),
            "returned" => l.T("Dikembalikan pembeli", "Returned by the buyer"),
            "restocked" => l.T("Kembali ke stok (pesanan batal)", "Restocked after a cancellation"),
            "expired" => l.T("Kedaluwarsa", "Expired"),
            "counted" => l.T("Stok opname", "Counted"),
            "adjusted" => l.T("Diubah dengan tangan", "Adjusted by hand"),
            _ => l.T("Perubahan lain", "Other change"),
        };
    }

    /// <summary>
    /// Who made a line: "you", a member by name, the cooperative's admins (whose names Catalog does not keep), or the
    /// system (sales, expiry, cancellations).
    /// </summary>
    public static string Who(Lang l, StockMovement movement, Guid? currentUser)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(movement);
        if (movement.By == System)
        {
            return l.T("sistem", "system");
        }

        if (currentUser is { } me && string.Equals(movement.By, me.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            return l.T("Anda", "you");
        }

        return movement.ByMember
            ?? (movement.ByAdmin is { } admin ? l.T($"{admin} (pengurus koperasi)", $"{admin} (cooperative admin)") : l.T("pengurus koperasi", "cooperative admin"));
    }

    /// <summary>
    /// Why a line happened. A person's reason is shown as she wrote it; the reasons the system writes are English
    /// notes for the log, so they are said here in the reader's words instead.
    /// </summary>
    public static string Why(Lang l, StockMovement movement)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(movement);
        var order = movement.OrderId is { } orderId ? l.T("Pesanan ", "Order ") + OrderRef(orderId) : null;
        if (movement.Reason == "opening stock")
        {
            return l.T("Stok awal", "Opening stock");
        }

        if (movement.By == System || movement.Reason is null)
        {
            if (movement.Kind == "expired" && movement.Reason is { } note && note.StartsWith("expired ", StringComparison.Ordinal)
                && DateOnly.TryParseExact(note["expired ".Length..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return l.T("Batas akhir ", "Last day ") + l.Date(day);
            }

            if (movement.Kind == "restocked")
            {
                return l.T("Pesanan dibatalkan", "Order cancelled") + (order is null ? "" : " · " + order);
            }

            if (movement.DeliveryId is not null)
            {
                return l.T("Titipan barang diterima di kios", "Delivery received at the kiosk");
            }

            return order ?? "";
        }

        return order is null ? movement.Reason : $"{movement.Reason} · {order}";
    }

    /// <summary>An order named short enough to read out: the first letters of its id.</summary>
    public static string OrderRef(Guid orderId) => "#" + ShortReference.Of(orderId);

    /// <summary>How long a batch has, in words: its last day is the one printed on the pack.</summary>
    public static string DaysLeft(Lang l, int days)
    {
        ArgumentNullException.ThrowIfNull(l);
        return days switch
        {
            < 0 => l.T($"sudah lewat {-days} hari", $"{-days} {(days == -1 ? "day" : "days")} past"),
            0 => l.T("hari ini hari terakhir", "today is the last day"),
            1 => l.T("tinggal 1 hari lagi (besok hari terakhir)", "1 day left (tomorrow is the last day)"),
            _ => l.T($"tinggal {days} hari lagi", $"{days} days left"),
        };
    }

    /// <summary>A stock rule's code said for a person; null when the code is not a stock rule.</summary>
    public static string? Rule(Lang l, string code)
    {
        ArgumentNullException.ThrowIfNull(l);
        return code switch
        {
            "reason_required" => l.T("Tulis alasan stok berubah, mis. 3 bungkus sobek.", "Say why the stock changes, e.g. 3 packs torn."),
            "invalid_reason" => l.T("Alasan paling banyak 300 huruf.", "A reason is at most 300 characters."),
            "invalid_stock" => l.T("Isi angka 0 sampai 1.000.000.", "Give a number from 0 to 1,000,000."),
            "stock_raise_by_delivery" => l.T("Stok hanya bertambah lewat titip barang yang diterima di kios. Di sini isi angka yang lebih kecil dari stok sekarang.",
                "Stock only rises through a delivery received at the kiosk. Here, give a number below the current stock."),
            "invalid_threshold" => l.T("Batas stok menipis 0 sampai 1.000.000, atau kosong.", "The low-stock level is 0 to 1,000,000, or empty."),
            "invalid_lines" => l.T("Isi jumlah terhitung untuk paling sedikit satu ukuran (paling banyak 500 sekaligus).",
                "Fill in the counted number for at least one size (at most 500 at a time)."),
            "unknown_variant" => l.T("Ukuran ini bukan milik koperasi ini lagi. Muat ulang halaman.", "This size is no longer the cooperative's. Reload the page."),
            "duplicate_variant" => l.T("Ukuran ini dihitung dua kali.", "This size is counted twice."),
            "invalid_expiry_warning_days" => l.T("Isi 0 sampai 365 hari.", "Give 0 to 365 days."),
            "stock_below_reserved" => l.T("Sebagian stok sedang dipesan pembeli: stok tidak bisa kurang dari yang dipesan.",
                "Some of this stock is held for orders: stock cannot go below what is held."),
            _ => null,
        };
    }

    /// <summary>A refusal said in the reader's words, each at its field.</summary>
    public static Problem Localized(Lang l, Problem problem, Func<string, string>? fieldName = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return problem.Localized(code => Rule(l, code) ?? Refusals.One(l, code), fieldName);
    }
}
