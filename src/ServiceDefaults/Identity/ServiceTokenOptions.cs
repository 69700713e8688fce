namespace Marketplace.ServiceDefaults.Identity;

/// <summary>How services validate the token the Gateway forwards. Bound from the <c>ServiceTokens</c> section.</summary>
public sealed class ServiceTokenOptions
{
    public const string SectionName = "ServiceTokens";

    public string Issuer { get; set; } = "marketplace-gateway";

    public string Audience { get; set; } = "marketplace-services";

    /// <summary>Where the Gateway publishes its public signing keys (a JWK set), e.g. <c>http://gateway/internal/jwks</c>.</summary>
    public string? JwksUri { get; set; }

    /// <summary>A JWK set given inline instead of <see cref="JwksUri"/>: for tests and air-gapped set-ups.</summary>
    public string? Jwks { get; set; }

    /// <summary>
    /// Whether the key set must be fetched over HTTPS; by default only outside Development. Inside a cluster the
    /// Gateway is reached over the cluster network (plain HTTP unless a mesh encrypts it): set false there.
    /// </summary>
    public bool? RequireHttpsMetadata { get; set; }

    /// <summary>Tokens are short-lived; this is the only slack allowed between clocks.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);
}
