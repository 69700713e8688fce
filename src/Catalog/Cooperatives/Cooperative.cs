using System.Text.RegularExpressions;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Catalog.Cooperatives;

public enum CooperativeStatus
{
    Active,
    Suspended,
}

/// <summary>A women's cooperative: the merchant of record for its members' products.</summary>
public sealed partial class Cooperative
{
    private Cooperative()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The cooperative's part of public URLs, e.g. <c>koperasi-binor-sejahtera</c>.</summary>
    public string Slug { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    /// <summary>The cooperative's default commission on each sale line, in percent (0 to 100, two decimals).</summary>
    public decimal FeePercent { get; private set; }

    public CooperativeStatus Status { get; private set; }

    public DateTimeOffset RegisteredAt { get; private set; }

    /// <summary>PostgreSQL's row version, for optimistic concurrency.</summary>
    public uint Version { get; private set; }

    public static Cooperative Register(string slug, string name, decimal feePercent, DateTimeOffset now)
    {
        slug = (slug ?? string.Empty).Trim().ToLowerInvariant();
        if (!SlugPattern().IsMatch(slug))
        {
            throw new DomainException("The slug must be 3 to 60 lowercase letters, digits or single hyphens.", "invalid_slug");
        }

        var cooperative = new Cooperative
        {
            Id = Guid.CreateVersion7(now),
            Slug = slug,
            Status = CooperativeStatus.Active,
            RegisteredAt = now,
        };
        cooperative.Rename(name);
        cooperative.SetFee(feePercent);
        return cooperative;
    }

    public void Rename(string name)
    {
        name = (name ?? string.Empty).Trim();
        if (name.Length is < 3 or > 120)
        {
            throw new DomainException("The name must be 3 to 120 characters long.", "invalid_name");
        }

        Name = name;
    }

    public void SetFee(decimal feePercent)
    {
        if (feePercent is < 0 or > 100 || decimal.Round(feePercent, 2) != feePercent)
        {
            throw new DomainException("The fee is a percentage from 0 to 100 with at most two decimals.", "invalid_fee");
        }

        FeePercent = feePercent;
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,59}$")]
    private static partial Regex SlugPattern();
}
