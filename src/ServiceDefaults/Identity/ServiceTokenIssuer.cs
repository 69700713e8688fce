using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Marketplace.ServiceDefaults.Identity;

/// <summary>Who a forwarded token speaks for.</summary>
public sealed record ServiceCaller(
    Guid UserId,
    IReadOnlyCollection<string> Roles,
    IReadOnlyCollection<Guid>? CooperativeIds = null,
    Guid? MemberId = null,
    string? DisplayName = null);

/// <summary>
/// Mints the short-lived tokens services accept. The Gateway holds the production key; tests create one
/// with <see cref="CreateWithNewKey"/> and hand its <see cref="PublicJwks"/> to the services.
/// </summary>
public sealed class ServiceTokenIssuer
{
    private static readonly System.Text.Json.JsonSerializerOptions JwksJson = new() { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase };
    private readonly SigningCredentials _credentials;
    private readonly JsonWebTokenHandler _handler = new();

    public ServiceTokenIssuer(RsaSecurityKey key, string issuer, string audience, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        Issuer = issuer;
        Audience = audience;
        Lifetime = lifetime;
        _credentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256);
    }

    public RsaSecurityKey Key { get; }

    public string Issuer { get; }

    public string Audience { get; }

    public TimeSpan Lifetime { get; }

    public static ServiceTokenIssuer CreateWithNewKey(string issuer = "marketplace-gateway", string audience = "marketplace-services", TimeSpan? lifetime = null)
    {
        var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12)) };
        return new ServiceTokenIssuer(key, issuer, audience, lifetime ?? TimeSpan.FromMinutes(5));
    }

    /// <summary>Loads a PEM private key (PKCS#8 or PKCS#1); the key id is derived from the public key.</summary>
    public static ServiceTokenIssuer FromPem(string pem, string issuer, string audience, TimeSpan lifetime)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        var thumbprint = SHA256.HashData(rsa.ExportSubjectPublicKeyInfo());
        var key = new RsaSecurityKey(rsa) { KeyId = Base64UrlEncoder.Encode(thumbprint.AsSpan(0, 12).ToArray()) };
        return new ServiceTokenIssuer(key, issuer, audience, lifetime);
    }

    /// <summary>The public half as a JWK set, the document the Gateway publishes.</summary>
    public string PublicJwks
    {
        get
        {
            var parameters = Key.Rsa.ExportParameters(includePrivateParameters: false);
            var jwk = new JsonWebKey
            {
                Kty = "RSA",
                Kid = Key.KeyId,
                Use = "sig",
                Alg = SecurityAlgorithms.RsaSha256,
                N = Base64UrlEncoder.Encode(parameters.Modulus),
                E = Base64UrlEncoder.Encode(parameters.Exponent),
            };
            return System.Text.Json.JsonSerializer.Serialize(new { keys = new[] { new { jwk.Kty, jwk.Kid, jwk.Use, jwk.Alg, jwk.N, jwk.E } } }, JwksJson);
        }
    }

    public string Mint(ServiceCaller caller, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var issuedAt = now ?? DateTimeOffset.UtcNow;
        var claims = new List<Claim> { new(MarketplaceClaims.UserId, caller.UserId.ToString()) };
        claims.AddRange(caller.Roles.Select(r => new Claim(MarketplaceClaims.Role, r)));
        claims.AddRange((caller.CooperativeIds ?? []).Select(c => new Claim(MarketplaceClaims.CooperativeId, c.ToString())));
        if (caller.MemberId is { } memberId)
        {
            claims.Add(new Claim(MarketplaceClaims.MemberId, memberId.ToString()));
        }

        if (!string.IsNullOrWhiteSpace(caller.DisplayName))
        {
            claims.Add(new Claim(MarketplaceClaims.DisplayName, caller.DisplayName));
        }

        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = (issuedAt + Lifetime).UtcDateTime,
            SigningCredentials = _credentials,
        });
    }
}
