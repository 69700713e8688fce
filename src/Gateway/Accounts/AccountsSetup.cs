using System.Security.Cryptography;
using Marketplace.Gateway.Data;
using Marketplace.Gateway.Tokens;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Marketplace.Gateway.Accounts;

public static class AccountsSetup
{
    /// <summary>The scheme that picks the bearer token when one is sent, and the browser cookie otherwise.</summary>
    public const string GatewayScheme = "gateway";

    /// <summary>
    /// ASP.NET Core Identity on the Gateway's database, the browser cookie, OpenIddict's token server (password and
    /// refresh grants) and its validation of the access tokens it issued.
    /// </summary>
    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.SectionName);
        var accounts = configuration.GetSection(AccountOptions.SectionName).Get<AccountOptions>() ?? new AccountOptions();

        builder.Services.AddIdentity<MarketplaceUser, IdentityRole<Guid>>(options =>
            {
                // Length over composition rules (NIST 800-63B): people on phones choose long phrases more easily.
                options.Password.RequiredLength = 8;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 4;
                // No lockout stored with the account (a stranger could set it off for anyone, the platform admin
                // included): wrong passwords are limited per login and client address (Security/RateLimits.cs).
                options.Lockout.AllowedForNewUsers = false;
                options.User.RequireUniqueEmail = false;
                options.User.AllowedUserNameCharacters += "+";
                options.ClaimsIdentity.UserIdClaimType = MarketplaceClaims.UserId;
                options.ClaimsIdentity.RoleClaimType = MarketplaceClaims.Role;
                options.ClaimsIdentity.UserNameClaimType = Claims.PreferredUsername;
                options.ClaimsIdentity.EmailClaimType = Claims.Email;
                options.Tokens.PasswordResetTokenProvider = TokenOptions.DefaultProvider;
            })
            .AddEntityFrameworkStores<GatewayDbContext>()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<MarketplaceClaimsFactory>();
        builder.Services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = accounts.PasswordResetLifetime);
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = accounts.SessionRevalidationInterval);

        builder.Services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "marketplace.session";
            cookie.Cookie.HttpOnly = true;
            // Lax, not Strict: an invitation link opened from WhatsApp must arrive signed in. Antiforgery covers the rest.
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            cookie.ExpireTimeSpan = TimeSpan.FromDays(14);
            cookie.SlidingExpiration = true;
            cookie.LoginPath = "/sign-in";
            cookie.AccessDeniedPath = "/sign-in";
            // APIs answer 401/403; only page requests are sent to the sign-in page.
            cookie.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
            cookie.Events.OnSignedIn = GuestShopperHandOver.AnnounceAsync;
        });
        builder.Services.AddAntiforgery(options =>
        {
            options.HeaderName = AccountsApi.AntiforgeryHeader;
            options.Cookie.Name = "marketplace.antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });

        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = GatewayScheme;
                options.DefaultAuthenticateScheme = GatewayScheme;
                options.DefaultChallengeScheme = GatewayScheme;
                options.DefaultForbidScheme = GatewayScheme;
            })
            .AddPolicyScheme(GatewayScheme, "Bearer token or browser cookie", options => options.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme
                    : IdentityConstants.ApplicationScheme);

        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<GatewayDbContext>().ReplaceDefaultEntities<Guid>())
            .AddServer(server =>
            {
                // One issuer whatever host name a request used, so every replica and every address accept the same tokens.
                server.SetIssuer(accounts.PublicBaseUrl);
                server.SetTokenEndpointUris(TokenEndpoint.Path.TrimStart('/'));
                server.SetRevocationEndpointUris(TokenEndpoint.RevocationPath.TrimStart('/'));
                server.AllowPasswordFlow().AllowRefreshTokenFlow();
                // The marketplace's own apps are public clients: there is no client secret they could keep.
                server.AcceptAnonymousClients();
                server.RegisterScopes(Scopes.OfflineAccess);
                server.SetAccessTokenLifetime(TimeSpan.FromMinutes(15));
                server.SetRefreshTokenLifetime(TimeSpan.FromDays(30));
                AddTokenKeys(server, configuration, development);
                var aspNetCore = server.UseAspNetCore().EnableTokenEndpointPassthrough();
                if (development || !configuration.GetValue("Gateway:RequireHttps", true))
                {
                    // Outside Development TLS ends at the load balancer, which sends X-Forwarded-Proto: https.
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                // Each access token is checked against its stored entry, so revoking it takes effect at once.
                validation.EnableTokenEntryValidation();
                validation.UseAspNetCore();
            });

        builder.Services.AddScoped<TokenRevocation>();
        builder.Services.AddHostedService<TokenPruning>();
        builder.Services.AddHostedService<PlatformAdminBootstrap>();
        builder.Services.AddMarketplacePolicies();
        return builder;
    }

    /// <summary>
    /// A bearer token that does not validate is answered 401 at once, even on a page anyone may read: the client
    /// learns to refresh it instead of silently being treated as anonymous.
    /// </summary>
    public static IApplicationBuilder UseRejectedBearerTokens(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.User.Identity?.IsAuthenticated != true
            && http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && !http.Request.Path.StartsWithSegments("/connect", StringComparison.OrdinalIgnoreCase))
        {
            await http.ChallengeAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
            return;
        }

        await next(http);
    });

    private static void AddTokenKeys(OpenIddictServerBuilder server, IConfiguration configuration, bool development)
    {
        // Every replica must sign and decrypt the same tokens, so outside Development the keys come from secrets.
        var signing = configuration["Gateway:Tokens:SigningKeyPem"];
        var encryption = configuration["Gateway:Tokens:EncryptionKeyPem"];
        if (!string.IsNullOrWhiteSpace(signing) && !string.IsNullOrWhiteSpace(encryption))
        {
            server.AddSigningKey(RsaKey(signing));
            server.AddEncryptionKey(RsaKey(encryption));
        }
        else if (development)
        {
            server.AddEphemeralSigningKey().AddEphemeralEncryptionKey();
        }
        else
        {
            throw new InvalidOperationException("Gateway:Tokens:SigningKeyPem and Gateway:Tokens:EncryptionKeyPem must be set (PEM RSA private keys).");
        }
    }

    private static RsaSecurityKey RsaKey(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new RsaSecurityKey(rsa) { KeyId = Base64UrlEncoder.Encode(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()).AsSpan(0, 12).ToArray()) };
    }

    private static Task RedirectOrStatus(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || context.Request.Path.StartsWithSegments("/connect", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
