namespace Marketplace.Orders.Merchants;

/// <summary>A group of provinces that couriers price alike, named in both languages.</summary>
public sealed record ShippingZone(string Code, string NameId, string NameEn);

/// <summary>A province of Indonesia, in the shipping zone it belongs to.</summary>
public sealed record Province(string Name, string Slug, ShippingZone Zone);

/// <summary>
/// Where a parcel goes: the shopper names her province, never a zone. A cooperative prices its shipping by zone
/// (<c>jawa</c>, <c>bali-nusa</c>...) or, where it wants, for one province (<c>bali</c>); the province's own rate wins.
/// </summary>
public static class ShippingZones
{
    public static readonly ShippingZone Jawa = new("jawa", "Jawa", "Java");
    public static readonly ShippingZone BaliNusa = new("bali-nusa", "Bali dan Nusa Tenggara", "Bali and Nusa Tenggara");
    public static readonly ShippingZone Sumatera = new("sumatera", "Sumatera", "Sumatra");
    public static readonly ShippingZone KalimantanSulawesi = new("kalimantan-sulawesi", "Kalimantan dan Sulawesi", "Kalimantan and Sulawesi");
    public static readonly ShippingZone MalukuPapua = new("maluku-papua", "Maluku dan Papua", "Maluku and Papua");

    public static readonly IReadOnlyList<ShippingZone> All = [Jawa, BaliNusa, Sumatera, KalimantanSulawesi, MalukuPapua];

    /// <summary>Indonesia's 38 provinces, as the shopper picks them.</summary>
    public static readonly IReadOnlyList<Province> Provinces = new (string Name, ShippingZone Zone)[]
    {
        ("Aceh", Sumatera), ("Sumatera Utara", Sumatera), ("Sumatera Barat", Sumatera), ("Riau", Sumatera), ("Kepulauan Riau", Sumatera),
        ("Jambi", Sumatera), ("Sumatera Selatan", Sumatera), ("Kepulauan Bangka Belitung", Sumatera), ("Bengkulu", Sumatera), ("Lampung", Sumatera),
        ("DKI Jakarta", Jawa), ("Banten", Jawa), ("Jawa Barat", Jawa), ("Jawa Tengah", Jawa), ("DI Yogyakarta", Jawa), ("Jawa Timur", Jawa),
        ("Bali", BaliNusa), ("Nusa Tenggara Barat", BaliNusa), ("Nusa Tenggara Timur", BaliNusa),
        ("Kalimantan Barat", KalimantanSulawesi), ("Kalimantan Tengah", KalimantanSulawesi), ("Kalimantan Selatan", KalimantanSulawesi),
        ("Kalimantan Timur", KalimantanSulawesi), ("Kalimantan Utara", KalimantanSulawesi), ("Sulawesi Utara", KalimantanSulawesi),
        ("Gorontalo", KalimantanSulawesi), ("Sulawesi Tengah", KalimantanSulawesi), ("Sulawesi Barat", KalimantanSulawesi),
        ("Sulawesi Selatan", KalimantanSulawesi), ("Sulawesi Tenggara", KalimantanSulawesi),
        ("Maluku", MalukuPapua), ("Maluku Utara", MalukuPapua), ("Papua", MalukuPapua), ("Papua Barat", MalukuPapua),
        ("Papua Barat Daya", MalukuPapua), ("Papua Tengah", MalukuPapua), ("Papua Pegunungan", MalukuPapua), ("Papua Selatan", MalukuPapua),
    }.Select(p => new Province(p.Name, Slug(p.Name), p.Zone)).ToList();

    /// <summary>The province as typed or picked ("jawa timur", "Jawa Timur", "jawa-timur"); null when there is none by that name.</summary>
    public static Province? Find(string? name)
    {
        var slug = Slug(name ?? string.Empty);
        return Provinces.FirstOrDefault(p => p.Slug == slug);
    }

    private static string Slug(string name) =>
        string.Join('-', name.Trim().ToLowerInvariant().Split([' ', '-', '_'], StringSplitOptions.RemoveEmptyEntries));
}
