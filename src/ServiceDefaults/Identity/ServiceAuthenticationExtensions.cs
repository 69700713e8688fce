using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Marketplace.ServiceDefaults.Identity;

public static class ServiceAuthenticationExtensions
{
    /// <summary>
    /// Validates the Gateway's short-lived token (signature against its published keys, issuer, audience,
    /// lifetime) and adds the marketplace's authorization policies. A request without a valid token is
    /// anonymous; endpoints that need a user answer 401.
    /// </summary>
    public static IHostApplicationBuilder AddServiceAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ServiceTokenOptions>().BindConfiguration(ServiceTokenOptions.SectionName);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigureServiceJwtBearer>();

        builder.Services.AddMarketplacePolicies();
        return builder;
    }

    /// <summary>The marketplace's authorization policies, the same at the Gateway and in every service.</summary>
    public static IServiceCollection AddMarketplacePolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(MarketplacePolicies.Member, p => p.RequireRole(MarketplaceRoles.Member).RequireClaim(MarketplaceClaims.MemberId))
            .AddPolicy(MarketplacePolicies.CooperativeAdmin, p => p.RequireRole(MarketplaceRoles.CooperativeAdmin, MarketplaceRoles.PlatformAdmin))
            .AddPolicy(MarketplacePolicies.PlatformAdmin, p => p.RequireRole(MarketplaceRoles.PlatformAdmin))
            .AddPolicy(MarketplacePolicies.KioskClerk, p => p.RequireRole(MarketplaceRoles.KioskClerk, MarketplaceRoles.CooperativeAdmin, MarketplaceRoles.PlatformAdmin));
        return services;
    }

    private sealed class ConfigureServiceJwtBearer(IOptions<ServiceTokenOptions> tokenOptions, IHostEnvironment environment)
        : IConfigureNamedOptions<JwtBearerOptions>
    {
        public void Configure(string? name, JwtBearerOptions options)
        {
            if (name != JwtBearerDefaults.AuthenticationScheme)
            {
                return;
            }

            var settings = tokenOptions.Value;
            options.MapInboundClaims = false;
            options.RequireHttpsMetadata = settings.RequireHttpsMetadata ?? !environment.IsDevelopment();
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = settings.Issuer,
                ValidAudience = settings.Audience,
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ValidateIssuerSigningKey = true,
                ClockSkew = settings.ClockSkew,
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256],
                NameClaimType = MarketplaceClaims.UserId,
                RoleClaimType = MarketplaceClaims.Role,
            };

            if (!string.IsNullOrWhiteSpace(settings.Jwks))
            {
                options.TokenValidationParameters.IssuerSigningKeys = new JsonWebKeySet(settings.Jwks).GetSigningKeys();
            }
            else if (!string.IsNullOrWhiteSpace(settings.JwksUri))
            {
                // Keys are fetched once and refreshed on a schedule, or at once when an unknown key id shows up (rotation).
                options.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                    settings.JwksUri,
                    new JwksConfigurationRetriever(),
                    new HttpDocumentRetriever { RequireHttps = options.RequireHttpsMetadata })
                {
                    AutomaticRefreshInterval = TimeSpan.FromHours(1),
                    RefreshInterval = TimeSpan.FromSeconds(30),
                };
            }
            else
            {
                throw new InvalidOperationException(
                    $"{ServiceTokenOptions.SectionName}:JwksUri (the Gateway's key set) or {ServiceTokenOptions.SectionName}:Jwks must be configured.");
            }
        }

        public void Configure(JwtBearerOptions options) => Configure(JwtBearerDefaults.AuthenticationScheme, options);
    }

    /// <summary>Reads a bare JWK set (not a full discovery document) into the shape JwtBearer expects.</summary>
    private sealed class JwksConfigurationRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            var json = await retriever.GetDocumentAsync(address, cancel);
            var configuration = new OpenIdConnectConfiguration { JsonWebKeySet = new JsonWebKeySet(json) };
            foreach (var key in configuration.JsonWebKeySet.GetSigningKeys())
            {
                configuration.SigningKeys.Add(key);
            }

            return configuration;
        }
    }
}
