using System.Net;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Marketplace.StripeEmulator;

/// <summary>A connected account (Connect), in Stripe's shape: what it may do and what Stripe still needs from its owner.</summary>
public sealed class ConnectedAccount
{
    /// <summary>
    /// What onboarding asks of an Indonesian business, as Stripe names it in <c>requirements.currently_due</c>. Without
    /// a bank account (<c>external_account</c>) it may take payments but Stripe pays nothing out.
    /// </summary>
    public static readonly IReadOnlyList<string> OnboardingRequirements =
    [
        "business_profile.name", "business_profile.product_description", "external_account",
        "representative.first_name", "representative.last_name", "representative.id_number",
        "tos_acceptance.date", "tos_acceptance.ip",
    ];

    public string Id { get; init; } = string.Empty;

    [JsonPropertyName("object")]
    public string ObjectType => "account";

    public string Type { get; init; } = "standard";

    public string Country { get; init; } = "ID";

    public string? Email { get; set; }

    public string DefaultCurrency { get; init; } = "idr";

    public bool ChargesEnabled { get; set; }

    public bool PayoutsEnabled { get; set; }

    public bool DetailsSubmitted { get; set; }

    public AccountBusinessProfile BusinessProfile { get; init; } = new();

    /// <summary>
    /// Each requested capability's status, as Stripe reports them: <c>transfers</c> follows payouts, every other one
    /// turns active once the account may take payments, unless a test turned it off. Stripe's API has no capability for
    /// QRIS or GoPay (an Indonesian account takes them once activated in its dashboard); the emulator reports
    /// <c>qris_payments</c> or <c>gopay_payments</c> only when a caller requested it or a test control named it.
    /// </summary>
    public Dictionary<string, string> Capabilities => Requested.Order(StringComparer.Ordinal).ToDictionary(
        name => name,
        name => TurnedOff.Contains(name) ? "inactive"
            : (name == "transfers" ? PayoutsEnabled : ChargesEnabled) ? "active"
            : DetailsSubmitted ? "pending" : "inactive",
        StringComparer.Ordinal);

    /// <summary>What the account asked Stripe for (<c>capabilities[...][requested]</c>); a standard account gets these two.</summary>
    [JsonIgnore]
    public HashSet<string> Requested { get; init; } = new(StringComparer.Ordinal) { "card_payments", "transfers" };

    /// <summary>Capabilities Stripe withdrew (a test's control): reported inactive whatever onboarding achieved.</summary>
    [JsonIgnore]
    public HashSet<string> TurnedOff { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether the account may take this payment method type: its capability (<c>card_payments</c>, <c>&lt;type&gt;_payments</c>) is not reported inactive.</summary>
    public bool Offers(string paymentMethodType)
    {
        var capability = paymentMethodType == "card" ? "card_payments" : paymentMethodType + "_payments";
        return !Requested.Contains(capability) || Capabilities[capability] == "active";
    }

    public AccountRequirements Requirements => new()
    {
        CurrentlyDue = [.. Due],
        EventuallyDue = [.. Due],
        PastDue = [.. Due],
        DisabledReason = ChargesEnabled ? null : "requirements.past_due",
    };

    public object ExternalAccounts => new
    {
        @object = "list",
        data = Bank is null ? [] : new[] { Bank },
        has_more = false,
        total_count = Bank is null ? 0 : 1,
        url = $"/v1/accounts/{Id}/external_accounts",
    };

    public Dictionary<string, string> Metadata { get; init; } = [];

    public long Created { get; init; }

    [JsonIgnore]
    public List<string> Due { get; set; } = [.. OnboardingRequirements];

    /// <summary>
    /// A test's control: this account's charges come without their balance transaction (<c>balance_transaction: null</c>),
    /// as Stripe's sometimes do, until it is attached and <c>charge.updated</c> sent.
    /// </summary>
    [JsonIgnore]
    public bool DelaysBalanceTransactions { get; set; }

    [JsonIgnore]
    public AccountBankAccount? Bank { get; set; }

    /// <summary>
    /// Stripe's rule, simplified: payments need everything but the bank account; payouts need that too. Called after
    /// every change of <see cref="Due"/>.
    /// </summary>
    public void Decide()
    {
        ChargesEnabled = Due.All(d => d == "external_account");
        PayoutsEnabled = Due.Count == 0;
    }

    /// <summary>An account that finished onboarding: the demo cooperative's, and tests' shortcut.</summary>
    public static ConnectedAccount Enabled(string id, long created) => new()
    {
        Id = id,
        Created = created,
        Due = [],
        ChargesEnabled = true,
        PayoutsEnabled = true,
        DetailsSubmitted = true,
        BusinessProfile = new AccountBusinessProfile { Name = "Koperasi (emulator)", ProductDescription = "Oleh-oleh" },
        Bank = new AccountBankAccount { Id = StripeState.NewId("ba_test"), BankName = "Bank Jatim", Last4 = "6789", AccountHolderName = "Koperasi (emulator)" },
    };
}

public sealed class AccountBusinessProfile
{
    public string? Name { get; set; }

    public string? ProductDescription { get; set; }

    public string? Url { get; set; }

    public string? Mcc { get; set; }
}

public sealed class AccountRequirements
{
    public List<string> CurrentlyDue { get; init; } = [];

    public List<string> EventuallyDue { get; init; } = [];

    public List<string> PastDue { get; init; } = [];

    public List<string> PendingVerification { get; init; } = [];

    public string? DisabledReason { get; init; }

    public long? CurrentDeadline { get; init; }

    public List<object> Errors { get; init; } = [];
}

public sealed class AccountBankAccount
{
    public string Id { get; init; } = string.Empty;

    [JsonPropertyName("object")]
    public string ObjectType => "bank_account";

    public string BankName { get; init; } = string.Empty;

    public string Last4 { get; init; } = string.Empty;

    public string AccountHolderName { get; init; } = string.Empty;

    public string Country => "ID";

    public string Currency => "idr";

    public string Status => "new";
}

/// <summary>A one-time link to the hosted onboarding page; it lapses after a few minutes, and once used.</summary>
public sealed class AccountLink
{
    [JsonPropertyName("object")]
    public string ObjectType => "account_link";

    public long Created { get; init; }

    public long ExpiresAt { get; init; }

    public string Url { get; init; } = string.Empty;

    [JsonIgnore]
    public string Token { get; init; } = string.Empty;

    [JsonIgnore]
    public string Account { get; init; } = string.Empty;

    [JsonIgnore]
    public string RefreshUrl { get; init; } = string.Empty;

    [JsonIgnore]
    public string ReturnUrl { get; init; } = string.Empty;

    [JsonIgnore]
    public bool Used { get; set; }
}

/// <summary>
/// Connect: <c>POST/GET /v1/accounts</c> and <c>POST /v1/account_links</c>, the hosted onboarding page, and
/// <c>account.updated</c> to the webhook whenever onboarding changes what the account may do.
/// </summary>
public static class AccountsApi
{
    /// <summary>Stripe's Account Links lapse after a few minutes; the owner then comes back through <c>refresh_url</c>.</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(5);

    private static readonly string[] LinkUrls = ["refresh_url", "return_url"];

    public static RouteGroupBuilder MapAccounts(this RouteGroupBuilder v1)
    {
        v1.MapPost("/accounts", CreateAsync);
        v1.MapGet("/accounts/{id}", (string id, StripeState state) =>
        {
            lock (state.Gate)
            {
                return state.AccountOf(id) is { } account ? Results.Json(account, EmulatorSetup.Json) : StripeErrors.Missing("account", id);
            }
        });
        v1.MapPost("/account_links", CreateLinkAsync);
        return v1;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, StripeState state)
    {
        var request = await StripeRequest.ReadAsync(http.Request);
        return request.Once(state, "POST /v1/accounts", () =>
        {
            var type = request.Value("type") ?? "standard";
            if (type is not ("standard" or "express" or "custom"))
            {
                return StripeErrorBody.Invalid("Invalid type: must be one of custom, express, or standard", "type");
            }

            if ((request.Value("country") ?? "ID") != "ID" || (request.Value("default_currency") ?? "idr") != "idr")
            {
                return StripeErrorBody.Invalid("The emulator creates Indonesian accounts only (country=ID, default_currency=idr).", "country");
            }

            var account = new ConnectedAccount
            {
                Id = StripeState.NewId("acct_test"),
                Type = type,
                Email = request.Value("email"),
                BusinessProfile = new AccountBusinessProfile
                {
                    Name = request.Value("business_profile[name]"),
                    ProductDescription = request.Value("business_profile[product_description]"),
                    Url = request.Value("business_profile[url]"),
                    Mcc = request.Value("business_profile[mcc]"),
                },
                Metadata = request.Hash("metadata"),
                Created = state.Now,
            };
            foreach (var (key, value) in request.Form)
            {
                // capabilities[card_payments][requested]=true
                if (key.StartsWith("capabilities[", StringComparison.Ordinal) && key.EndsWith("][requested]", StringComparison.Ordinal) && value == "true")
                {
                    account.Requested.Add(key["capabilities[".Length..^"][requested]".Length]);
                }
            }

            account.Due.RemoveAll(d => d == "business_profile.name" && !string.IsNullOrWhiteSpace(account.BusinessProfile.Name));
            account.Due.RemoveAll(d => d == "business_profile.product_description" && !string.IsNullOrWhiteSpace(account.BusinessProfile.ProductDescription));
            account.Decide();
            state.Add(account);
            return (200, account);
        });
    }

    private static async Task<IResult> CreateLinkAsync(HttpContext http, StripeState state)
    {
        var request = await StripeRequest.ReadAsync(http.Request);
        return request.Once(state, "POST /v1/account_links", () =>
        {
            var accountId = request.Value("account");
            if (accountId is null || state.AccountOf(accountId) is null)
            {
                return accountId is null ? StripeErrorBody.Invalid("Missing required param: account.", "account") : StripeErrorBody.Missing("account", accountId);
            }

            if (request.Value("type") is not ("account_onboarding" or "account_update"))
            {
                return StripeErrorBody.Invalid("type must be account_onboarding or account_update.", "type");
            }

            foreach (var param in LinkUrls)
            {
                if (!Uri.TryCreate(request.Value(param), UriKind.Absolute, out _))
                {
                    return StripeErrorBody.Invalid($"Missing required param: {param}.", param);
                }
            }

            var token = StripeState.NewId("ol");
            var link = new AccountLink
            {
                Token = token,
                Account = accountId,
                Created = state.Now,
                ExpiresAt = state.Now + (long)LinkLifetime.TotalSeconds,
                RefreshUrl = request.Value("refresh_url")!,
                ReturnUrl = request.Value("return_url")!,
                Url = $"{http.Request.Scheme}://{http.Request.Host}/connect/onboarding/{token}",
            };
            state.Add(link);
            return (200, link);
        });
    }
}

/// <summary>
/// The page an Account Link leads to. The owner fills in her business, her representative and the bank account (test
/// values are already there, as in Stripe's test mode) and presses Complete, or saves and finishes later. Either way
/// Stripe sends her to <c>return_url</c>, which says nothing about the outcome: the platform asks the account.
/// </summary>
public static class HostedOnboarding
{
    private static readonly string[] RepresentativeName = ["representative.first_name", "representative.last_name"];

    public static WebApplication MapHostedOnboarding(this WebApplication app)
    {
        app.MapGet("/connect/onboarding/{token}", (string token, StripeState state) =>
        {
            lock (state.Gate)
            {
                return Usable(state, token) switch
                {
                    (null, _) => Results.NotFound("No such account link."),
                    ({ } link, false) => Results.Redirect(link.RefreshUrl),
                    ({ } link, true) => Page(state.AccountOf(link.Account)!),
                };
            }
        });
        app.MapPost("/connect/onboarding/{token}", async (string token, HttpRequest request, StripeState state, WebhookSender webhooks) =>
        {
            var form = await request.ReadFormAsync();
            lock (state.Gate)
            {
                var (link, usable) = Usable(state, token);
                if (link is null)
                {
                    return Results.NotFound("No such account link.");
                }

                if (!usable)
                {
                    return Results.Redirect(link.RefreshUrl);
                }

                link.Used = true;
                var account = state.AccountOf(link.Account)!;
                Submit(account, form, complete: form["action"] == "complete");
                webhooks.Publish("account.updated", account, account.Id);
                return Results.Redirect(link.ReturnUrl);
            }
        }).DisableAntiforgery();
        return app;
    }

    private static (AccountLink? Link, bool Usable) Usable(StripeState state, string token)
    {
        var link = state.AccountLinkOf(token);
        return (link, link is { Used: false } && link.ExpiresAt > state.Now);
    }

    /// <summary>What was filled in is no longer due; the terms are accepted only by completing.</summary>
    private static void Submit(ConnectedAccount account, IFormCollection form, bool complete)
    {
        string Field(string name) => form[name].ToString().Trim();
        var given = new HashSet<string>(StringComparer.Ordinal);
        if (Field("business_name") is { Length: > 0 } name)
        {
            account.BusinessProfile.Name = name;
            given.Add("business_profile.name");
        }

        if (Field("product_description") is { Length: > 0 } description)
        {
            account.BusinessProfile.ProductDescription = description;
            given.Add("business_profile.product_description");
        }

        if (Field("representative_name").Length > 0)
        {
            given.UnionWith(RepresentativeName);
        }

        if (Field("representative_id_number").Length > 0)
        {
            given.Add("representative.id_number");
        }

        if (Field("bank_name").Length > 0 && Field("account_number") is { Length: >= 4 } number && Field("account_holder").Length > 0)
        {
            account.Bank = new AccountBankAccount { Id = StripeState.NewId("ba_test"), BankName = Field("bank_name"), Last4 = number[^4..], AccountHolderName = Field("account_holder") };
            given.Add("external_account");
        }

        if (complete && form["tos"] == "accepted")
        {
            given.UnionWith(["tos_acceptance.date", "tos_acceptance.ip"]);
        }

        account.Due.RemoveAll(given.Contains);
        account.DetailsSubmitted |= complete;
        account.Decide();
    }

    private static IResult Page(ConnectedAccount account)
    {
        static string Encode(string? value) => WebUtility.HtmlEncode(value ?? string.Empty);
        var business = account.BusinessProfile.Name ?? "Koperasi Wanita";
        var html = $$"""
            <!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>Pendaftaran Stripe (emulator)</title>
            <style>body{font-family:sans-serif;max-width:32rem;margin:1rem auto;padding:0 1rem}label{display:block;margin:.6rem 0 .2rem}
            input,select{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}input[type=checkbox]{width:auto}
            button{padding:.7rem 1rem;font-size:1rem;margin:.8rem .5rem 0 0}</style></head><body>
            <p><strong>Stripe emulator</strong>: test mode. Data uji sudah terisi / test data is filled in.</p>
            <h1>Daftarkan usaha Anda / Set up your business</h1>
            <p>{{Encode(account.Id)}}</p>
            <form method="post">
            <label for="business_name">Nama usaha / Business name</label><input id="business_name" name="business_name" value="{{Encode(business)}}">
            <label for="product_description">Apa yang dijual / What you sell</label><input id="product_description" name="product_description" value="{{Encode(account.BusinessProfile.ProductDescription ?? "Oleh-oleh hasil laut dan kerajinan anggota")}}">
            <label for="representative_name">Nama pengurus / Representative</label><input id="representative_name" name="representative_name" value="Siti Aminah">
            <label for="representative_id_number">NIK</label><input id="representative_id_number" name="representative_id_number" value="3513000000000001">
            <label for="bank_name">Bank</label><select id="bank_name" name="bank_name"><option>Bank Jatim</option><option>BRI</option><option>BCA</option><option>Bank Mandiri</option><option>BNI</option><option>BSI</option></select>
            <label for="account_number">Nomor rekening / Account number</label><input id="account_number" name="account_number" value="000123456789" inputmode="numeric">
            <label for="account_holder">Atas nama / Account holder</label><input id="account_holder" name="account_holder" value="{{Encode(business)}}">
            <label><input type="checkbox" name="tos" value="accepted" checked> Saya menyetujui syarat layanan Stripe / I accept Stripe's terms</label>
            <button name="action" value="complete">Selesaikan / Complete</button>
            <button name="action" value="later">Simpan, lanjutkan nanti / Save for later</button>
            </form></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }
}

/// <summary>
/// Every call made for a connected account (<c>Stripe-Account</c>) must name one the emulator created (or the demo
/// cooperative's): an unknown id is Stripe's 403 <c>account_invalid</c>, whatever the endpoint.
/// </summary>
internal sealed class ConnectedAccountFilter(StripeState state) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var account = context.HttpContext.Request.Headers["Stripe-Account"].ToString();
        if (account.Length > 0)
        {
            bool known;
            lock (state.Gate)
            {
                known = state.AccountOf(account) is not null;
            }

            if (!known)
            {
                return StripeErrors.Result(403, "invalid_request_error",
                    $"The provided key does not have access to account '{account}' (or that account does not exist). Application access may have been revoked.",
                    code: "account_invalid");
            }
        }

        return await next(context);
    }
}

/// <summary>Test and developer controls for connected accounts.</summary>
public static class AccountControl
{
    public sealed record DueRequest(IReadOnlyList<string> CurrentlyDue);

    public static RouteGroupBuilder MapAccountControl(this RouteGroupBuilder control)
    {
        // Stripe asks for more later (a verification, a changed rule): what is due now, and account.updated is sent.
        control.MapPost("/accounts/{id}/requirements", (string id, DueRequest request, StripeState state, WebhookSender webhooks) =>
        {
            lock (state.Gate)
            {
                if (state.AccountOf(id) is not { } account)
                {
                    return Results.NotFound();
                }

                account.Due = [.. request.CurrentlyDue.Distinct(StringComparer.Ordinal)];
                account.Decide();
                webhooks.Publish("account.updated", account, account.Id);
                return Results.Ok(account.Requirements);
            }
        });
        // Stripe withdraws (or gives back) one capability, e.g. gopay_payments: account.updated is sent.
        control.MapPost("/accounts/{id}/capabilities/{name}", (string id, string name, CapabilityRequest request, StripeState state, WebhookSender webhooks) =>
        {
            lock (state.Gate)
            {
                if (state.AccountOf(id) is not { } account)
                {
                    return Results.NotFound();
                }

                account.Requested.Add(name);
                if (request.Active)
                {
                    account.TurnedOff.Remove(name);
                }
                else
                {
                    account.TurnedOff.Add(name);
                }

                webhooks.Publish("account.updated", account, account.Id);
                return Results.Ok(account.Capabilities);
            }
        });
        // Charges on this account come without their balance transaction until it is attached (below).
        control.MapPost("/accounts/{id}/delay-balance-transactions", (string id, DelayRequest request, StripeState state) =>
        {
            lock (state.Gate)
            {
                if (state.AccountOf(id) is not { } account)
                {
                    return Results.NotFound();
                }

                account.DelaysBalanceTransactions = request.Delay;
                return Results.NoContent();
            }
        });
        // Stripe made the charge's balance transaction: it is attached, enters the balance, and charge.updated is sent.
        control.MapPost("/accounts/{id}/charges/{chargeId}/balance-transaction", (string id, string chargeId, StripeState state, WebhookSender webhooks) =>
        {
            lock (state.Gate)
            {
                if (state.ChargeOf(id, chargeId) is not { HeldTransaction: { } transaction } charge)
                {
                    return Results.NotFound();
                }

                state.Add(transaction);
                charge.BalanceTransaction = transaction.Id;
                charge.HeldTransaction = null;
                webhooks.Publish("charge.updated", charge, id);
                return Results.Ok(new { balance_transaction = transaction.Id });
            }
        });
        return control;
    }

    public sealed record CapabilityRequest(bool Active);

    public sealed record DelayRequest(bool Delay);

    /// <summary>The demo cooperative's account and any set in <c>Emulator:EnabledAccounts</c>: onboarded, taking payments.</summary>
    public static void SeedEnabledAccounts(StripeState state, IOptions<EmulatorOptions> options)
    {
        lock (state.Gate)
        {
            foreach (var id in options.Value.EnabledAccounts.Prepend(EmulatorOptions.DemoAccount).Distinct(StringComparer.Ordinal))
            {
                state.Add(ConnectedAccount.Enabled(id, state.Now));
            }
        }
    }
}
