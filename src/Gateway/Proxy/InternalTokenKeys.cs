using Marketplace.ServiceDefaults.Identity;

namespace Marketplace.Gateway.Proxy;

/// <summary>Where the key that signs forwarded tokens comes from.</summary>
internal static class InternalTokenKeys
{
    public static ServiceTokenIssuer CreateIssuer(IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(ServiceTokenOptions.SectionName).Get<ServiceTokenOptions>() ?? new ServiceTokenOptions();
        var pem = configuration[$"{ServiceTokenOptions.SectionName}:SigningKeyPem"];
        if (!string.IsNullOrWhiteSpace(pem))
        {
            return ServiceTokenIssuer.FromPem(pem, options.Issuer, options.Audience, options.Lifetime);
        }

        // Every replica must sign with the same key, so outside Development it has to come from a secret.
        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException($"{ServiceTokenOptions.SectionName}:SigningKeyPem must be set (a PEM RSA private key).");
        }

        return ServiceTokenIssuer.CreateWithNewKey(options.Issuer, options.Audience, options.Lifetime);
    }
}
