using Marketplace.Orders.Payments;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;

namespace Marketplace.Orders.Merchants;

/// <summary>Where Stripe's onboarding page is, for the admin to be sent to; the link lapses after a few minutes.</summary>
public sealed record StripeOnboardingResponse(string Url, DateTimeOffset ExpiresAt);

/// <summary>
/// The cooperative's Stripe account as Orders last heard of it. <see cref="CurrentlyDue"/> holds Stripe's own keys
/// (<c>external_account</c>, <c>tos_acceptance.date</c>...): a page says them in words.
/// </summary>
/// <remarks><see cref="Methods"/>: each payment method of the deployment's setting and whether the account takes it.</remarks>
public sealed record StripeAccountResponse(
    string? AccountId, bool ChargesEnabled, bool PayoutsEnabled, bool DetailsSubmitted, IReadOnlyList<string> CurrentlyDue, DateTimeOffset? CheckedAt,
    IReadOnlyList<OnlinePaymentMethod> Methods)
{
    public static StripeAccountResponse Of(Merchant merchant, StripeOptions options)
    {
        ArgumentNullException.ThrowIfNull(merchant);
        var state = merchant.StripeAccount;
        return new(merchant.StripeAccountId, merchant.TakesCards, state?.PayoutsEnabled ?? false, state?.DetailsSubmitted ?? false, state?.CurrentlyDue ?? [], state?.CheckedAt,
            OnlinePaymentMethods.Describe(options, merchant.TakesCards ? state : null));
    }
}

/// <summary>
/// Stripe Connect onboarding: the cooperative's account is created at Stripe once, its owner fills in Stripe's own
/// pages (an Account Link), and what Stripe then says of the account is recorded, on her return and on each
/// <c>account.updated</c>, always through <see cref="RefreshAsync"/>.
/// </summary>
public sealed partial class StripeOnboarding(
    IStripeClient client, IOptions<StripeOptions> options, OrdersDbContext db, AuditTrail audit, ILogger<StripeOnboarding> logger)
{
    /// <summary>
    /// Where the admin lands after Stripe's pages: the settings page of this cooperative (an admin of several, or the
    /// platform's, comes back to the right one), which asks Orders to look again.
    /// </summary>
    public static string ReturnPath(Guid cooperativeId) => $"/admin/pengaturan?stripe=kembali&koperasi={cooperativeId}";

    /// <summary>Where a lapsed or used link sends her: the same page, which offers a fresh link.</summary>
    public static string RefreshPath(Guid cooperativeId) => $"/admin/pengaturan?stripe=ulang&koperasi={cooperativeId}";

    /// <summary>
    /// Creates the cooperative's account unless it has one, then a fresh Account Link to Stripe's onboarding. Null when
    /// Orders does not know the cooperative.
    /// </summary>
    public async Task<StripeOnboardingResponse?> StartAsync(Guid cooperativeId, CancellationToken cancellationToken)
    {
        var merchant = await db.Merchants.FirstOrDefaultAsync(m => m.CooperativeId == cooperativeId, cancellationToken);
        if (merchant is null)
        {
            return null;
        }

        if (merchant.StripeAccountId is null)
        {
            var asked = await DatabaseNowAsync(cancellationToken);
            // One key per cooperative: two admins pressing at once, or a retry after a lost answer, get the same account
            // from Stripe, never a second one. Once stored, the account id itself stops any further creation.
            var account = await new AccountService(client).CreateAsync(
                new AccountCreateOptions
                {
                    Type = "standard",
                    Country = "ID",
                    DefaultCurrency = "idr",
                    BusinessProfile = new AccountBusinessProfileOptions { Name = merchant.Name },
                    Metadata = new Dictionary<string, string> { ["cooperative_id"] = cooperativeId.ToString() },
                },
                new RequestOptions { IdempotencyKey = $"connect-account-{cooperativeId}" },
                cancellationToken);
            merchant.AttachStripeAccount(account.Id);
            _ = merchant.RecordStripeAccount(account.Id, StateOf(account, asked));
            audit.Record(db, "settings.stripe-connected", cooperativeId, "merchant", cooperativeId, null, new { account = account.Id });
            await db.SaveChangesAsync(cancellationToken);
            LogCreated(logger, account.Id, cooperativeId);
        }

        var site = options.Value.PublicBaseUrl;
        var link = await new AccountLinkService(client).CreateAsync(
            new AccountLinkCreateOptions
            {
                Account = merchant.StripeAccountId,
                Type = "account_onboarding",
                RefreshUrl = new Uri(site, RefreshPath(cooperativeId)).ToString(),
                ReturnUrl = new Uri(site, ReturnPath(cooperativeId)).ToString(),
            },
            null,
            cancellationToken);
        return new StripeOnboardingResponse(link.Url, new DateTimeOffset(link.ExpiresAt, TimeSpan.Zero));
    }

    /// <summary>
    /// Asks Stripe what the account may do now and records it on its cooperative: the one path for the admin's
    /// return and for every <c>account.updated</c>. The event's own copy is not used: Stripe may deliver events late and
    /// out of order, the account as it is now is what counts. Null when no cooperative has this account.
    /// </summary>
    public async Task<Merchant?> RefreshAsync(string accountId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);

        if (!await db.Merchants.AnyAsync(m => m.StripeAccountId == accountId, cancellationToken))
        {
            return null;
        }

        // Stripe is asked outside any transaction: a slow answer holds no row and no pooled connection. Stripe sends
        // account.updated in bursts, delivered side by side, so the questions overlap and their answers may come back in
        // any order. Each takes the moment it asked from the database's one clock (not this replica's), and an answer is
        // recorded only if no question asked later has been: the last question was asked after Stripe's last change
        // (its event came after it), so its answer is the one that stays.
        var asked = await DatabaseNowAsync(cancellationToken);
        var account = await new AccountService(client).GetAsync(accountId, null, null, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM orders.merchants WHERE stripe_account_id = {accountId} FOR UPDATE", cancellationToken);
        var merchant = await db.Merchants.FirstOrDefaultAsync(m => m.StripeAccountId == accountId, cancellationToken);
        if (merchant is null)
        {
            return null;
        }

        // A caller sharing this context may have read it before the lock, before a refresh recorded meanwhile.
        await db.Entry(merchant).ReloadAsync(cancellationToken);
        var before = merchant.StripeAccount;
        if (!merchant.RecordStripeAccount(accountId, StateOf(account, asked)))
        {
            return merchant;
        }

        var after = merchant.StripeAccount!;
        if (before is null || before.ChargesEnabled != after.ChargesEnabled || before.PayoutsEnabled != after.PayoutsEnabled
            || !SameCapabilities(before.Capabilities, after.Capabilities))
        {
            // Whether the cooperative can take card and e-wallet money at all, and which: worth a line each time it turns.
            audit.Record(db, "settings.stripe-state-changed", merchant.CooperativeId, "merchant", merchant.CooperativeId,
                before is null ? null : new { before.ChargesEnabled, before.PayoutsEnabled, before.Capabilities },
                new { after.ChargesEnabled, after.PayoutsEnabled, after.Capabilities });
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return merchant;
    }

    /// <summary>Now by PostgreSQL's clock, the one every replica's refreshes are ordered by.</summary>
    private Task<DateTimeOffset> DatabaseNowAsync(CancellationToken cancellationToken) =>
        db.Database.SqlQuery<DateTimeOffset>($"SELECT clock_timestamp() AS \"Value\"").SingleAsync(cancellationToken);

    private static bool SameCapabilities(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b) =>
        a is null || b is null ? a == b : a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);

    private static StripeAccountState StateOf(Account account, DateTimeOffset checkedAt) => new(
        account.ChargesEnabled,
        account.PayoutsEnabled,
        account.DetailsSubmitted,
        account.Requirements?.CurrentlyDue?.ToList() ?? [],
        account.Requirements?.DisabledReason,
        checkedAt,
        CapabilitiesOf(account));

    /// <summary>
    /// Every capability Stripe reports, read from the answer itself: Stripe.net's typed <see cref="AccountCapabilities"/>
    /// drops names it does not know, and a method's capability may be newer than the library.
    /// </summary>
    private static Dictionary<string, string> CapabilitiesOf(Account account)
    {
        var capabilities = new Dictionary<string, string>(StringComparer.Ordinal);
        if (account.RawJsonElement is { ValueKind: System.Text.Json.JsonValueKind.Object } json
            && json.TryGetProperty("capabilities", out var raw) && raw.ValueKind == System.Text.Json.JsonValueKind.Object)
        {
            foreach (var property in raw.EnumerateObject())
            {
                if (property.Value.ValueKind == System.Text.Json.JsonValueKind.String)
                {
                    capabilities[property.Name] = property.Value.GetString()!;
                }
            }
        }
        else if (account.Capabilities is { } typed)
        {
            if (typed.CardPayments is { } card)
            {
                capabilities["card_payments"] = card;
            }

            if (typed.Transfers is { } transfers)
            {
                capabilities["transfers"] = transfers;
            }
        }

        return capabilities;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created Stripe account {AccountId} for cooperative {CooperativeId}")]
    private static partial void LogCreated(ILogger logger, string accountId, Guid cooperativeId);
}

public static class StripeOnboardingApi
{
    public static RouteGroupBuilder MapStripeOnboarding(this RouteGroupBuilder merchants)
    {
        // Another cooperative's account answers 404, as if it did not exist.
        merchants.MapPost("/{cooperativeId:guid}/stripe-onboarding", StartAsync)
            .RequireAdminOfRouteCooperative(hideFromOthers: true)
            .WithName("StartStripeOnboarding")
            .WithSummary("Creates the cooperative's Stripe account (once) and answers a fresh link to Stripe's onboarding pages.");
        merchants.MapGet("/{cooperativeId:guid}/stripe-account", GetAsync)
            .RequireAdminOfRouteCooperative(hideFromOthers: true)
            .WithName("GetStripeAccount")
            .WithSummary("The cooperative's Stripe account as last heard: payments and payouts enabled, what Stripe still needs.");
        merchants.MapPost("/{cooperativeId:guid}/stripe-account/refresh", RefreshAsync)
            .RequireAdminOfRouteCooperative(hideFromOthers: true)
            .WithName("RefreshStripeAccount")
            .WithSummary("Asks Stripe about the cooperative's account now and records it (the admin is back from Stripe's pages).");
        return merchants;
    }

    private static async Task<Results<Ok<StripeOnboardingResponse>, NotFound>> StartAsync(Guid cooperativeId, StripeOnboarding onboarding, CancellationToken cancellationToken) =>
        await onboarding.StartAsync(cooperativeId, cancellationToken) is { } link ? TypedResults.Ok(link) : TypedResults.NotFound();

    private static async Task<Results<Ok<StripeAccountResponse>, NotFound>> GetAsync(
        Guid cooperativeId, OrdersDbContext db, IOptions<StripeOptions> options, CancellationToken cancellationToken)
    {
        var merchant = await db.Merchants.AsNoTracking().FirstOrDefaultAsync(m => m.CooperativeId == cooperativeId, cancellationToken);
        return merchant is null ? TypedResults.NotFound() : TypedResults.Ok(StripeAccountResponse.Of(merchant, options.Value));
    }

    private static async Task<Results<Ok<StripeAccountResponse>, NotFound>> RefreshAsync(
        Guid cooperativeId, OrdersDbContext db, StripeOnboarding onboarding, IOptions<StripeOptions> options, CancellationToken cancellationToken)
    {
        var merchant = await db.Merchants.AsNoTracking().FirstOrDefaultAsync(m => m.CooperativeId == cooperativeId, cancellationToken);
        if (merchant is null)
        {
            return TypedResults.NotFound();
        }

        // Not started yet: nothing to ask Stripe about.
        var refreshed = merchant.StripeAccountId is null ? merchant : await onboarding.RefreshAsync(merchant.StripeAccountId, cancellationToken) ?? merchant;
        return TypedResults.Ok(StripeAccountResponse.Of(refreshed, options.Value));
    }
}
