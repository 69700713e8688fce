using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Marketplace.StripeEmulator;

/// <summary>When the evidence is due, as Stripe's <c>evidence_details</c> says.</summary>
public sealed class EvidenceDetails
{
    public long DueBy { get; init; }

    public bool HasEvidence => false;

    public bool PastDue { get; set; }

    public int SubmissionCount => 0;
}

/// <summary>
/// A chargeback on a charge, as Stripe's Dispute object: the amount taken back from the balance (with Stripe's dispute fee)
/// is in <see cref="BalanceTransactions"/>, one when it opened and one more when it was won.
/// </summary>
public sealed class Dispute
{
    public string Id { get; init; } = string.Empty;

    [JsonPropertyName("object")]
    public string ObjectType => "dispute";

    public long Amount { get; init; }

    public string Currency { get; init; } = "idr";

    public string Charge { get; init; } = string.Empty;

    public string? PaymentIntent { get; init; }

    public string Reason { get; init; } = "fraudulent";

    /// <summary><c>needs_response</c>, <c>under_review</c>, <c>won</c> or <c>lost</c>.</summary>
    public string Status { get; set; } = "needs_response";

    public EvidenceDetails EvidenceDetails { get; init; } = new();

    public List<BalanceTransaction> BalanceTransactions { get; init; } = [];

    public bool IsChargeRefundable => false;

    public Dictionary<string, string> Metadata { get; init; } = [];

    public long Created { get; init; }

    public bool Livemode => false;

    [JsonIgnore]
    public string? Account { get; init; }

    [JsonIgnore]
    public bool Closed => Status is "won" or "lost";
}

/// <summary>A transfer of the account's balance to its bank, as Stripe's Payout object.</summary>
public sealed class Payout
{
    public string Id { get; init; } = string.Empty;

    [JsonPropertyName("object")]
    public string ObjectType => "payout";

    public long Amount { get; init; }

    public long ArrivalDate { get; init; }

    public bool Automatic { get; init; }

    public string BalanceTransaction { get; init; } = string.Empty;

    public string Currency { get; init; } = "idr";

    public string Method => "standard";

    public string Type => "bank_account";

    public string Status { get; set; } = "paid";

    public string? Description { get; init; }

    public long Created { get; init; }

    public bool Livemode => false;

    [JsonIgnore]
    public string? Account { get; init; }

    /// <summary>The balance transactions it took to the bank (its own last), in the order they were made.</summary>
    [JsonIgnore]
    public List<string> Transactions { get; init; } = [];
}

/// <summary>Disputes and payouts of each account, kept beside <see cref="StripeState"/> and guarded by its lock.</summary>
public sealed class DisputesAndPayouts
{
    private readonly Dictionary<string, Dispute> _disputes = [];
    private readonly Dictionary<string, Payout> _payouts = [];

    public void Add(Dispute dispute) => _disputes[Key(dispute.Account, dispute.Id)] = dispute;

    public void Add(Payout payout) => _payouts[Key(payout.Account, payout.Id)] = payout;

    public Dispute? DisputeOf(string? account, string id) => _disputes.GetValueOrDefault(Key(account, id));

    /// <summary>A dispute by id alone: the test controls do not always know the account.</summary>
    public Dispute? DisputeAnyAccount(string id) => _disputes.Values.FirstOrDefault(d => d.Id == id);

    public Dispute? DisputeOfCharge(string? account, string chargeId) => _disputes.Values.FirstOrDefault(d => d.Account == account && d.Charge == chargeId);

    public Payout? PayoutOf(string? account, string id) => _payouts.GetValueOrDefault(Key(account, id));

    private static string Key(string? account, string id) => (account ?? "platform") + "/" + id;
}

/// <summary>A test control's request: open a dispute on the charge of this PaymentIntent (of this connected account).</summary>
public sealed record OpenDisputeRequest(string PaymentIntent, string? Account, string? Reason, long? Amount);

public sealed record CloseDisputeRequest(string Outcome);

public sealed record PayoutRequest(string? Account);

/// <summary>
/// Disputes (<c>GET /v1/disputes/{id}</c>) and payouts (<c>GET /v1/payouts/{id}</c>, <c>GET /v1/balance_transactions?payout=</c>),
/// with the test controls that make them happen: a shopper's bank opening a chargeback, the card network deciding it, and
/// Stripe paying the balance out to the bank.
/// </summary>
public static class DisputesApi
{
    public static RouteGroupBuilder MapDisputesAndPayouts(this RouteGroupBuilder v1)
    {
        v1.MapGet("/disputes/{id}", (string id, HttpContext http, StripeState state, DisputesAndPayouts book) =>
        {
            lock (state.Gate)
            {
                var dispute = book.DisputeOf(http.Request.Headers["Stripe-Account"].FirstOrDefault(), id);
                return dispute is null ? StripeErrors.Missing("dispute", id) : Results.Json(dispute, EmulatorSetup.Json);
            }
        });
        v1.MapGet("/payouts/{id}", (string id, HttpContext http, StripeState state, DisputesAndPayouts book) =>
        {
            lock (state.Gate)
            {
                var payout = book.PayoutOf(http.Request.Headers["Stripe-Account"].FirstOrDefault(), id);
                return payout is null ? StripeErrors.Missing("payout", id) : Results.Json(payout, EmulatorSetup.Json);
            }
        });
        v1.MapGet("/balance_transactions", ListTransactions);
        return v1;
    }

    /// <summary>Stripe's list: newest first, <c>limit</c> (10 by default, at most 100), <c>starting_after</c>, <c>has_more</c>.</summary>
    private static IResult ListTransactions(
        HttpContext http,
        StripeState state,
        DisputesAndPayouts book,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "payout")] string? payoutId,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "limit")] int? limit,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "starting_after")] string? startingAfter)
    {
        var account = http.Request.Headers["Stripe-Account"].FirstOrDefault();
        var size = limit ?? 10;
        if (size is < 1 or > 100)
        {
            return StripeErrors.Invalid("Invalid limit: must be between 1 and 100", "limit");
        }

        lock (state.Gate)
        {
            List<BalanceTransaction> all;
            if (payoutId is not null)
            {
                var payout = book.PayoutOf(account, payoutId);
                if (payout is null)
                {
                    return StripeErrors.Missing("payout", payoutId);
                }

                all = payout.Transactions.Select(t => state.BalanceTransactionOf(account, t)!).ToList();
            }
            else
            {
                all = state.BalanceTransactionsOf(account).ToList();
            }

            all.Reverse();
            var start = 0;
            if (startingAfter is not null)
            {
                var at = all.FindIndex(t => t.Id == startingAfter);
                if (at < 0)
                {
                    return StripeErrors.Missing("balance_transaction", startingAfter);
                }

                start = at + 1;
            }

            var page = all.Skip(start).Take(size).ToList();
            return Results.Json(new { @object = "list", data = page, has_more = start + page.Count < all.Count, url = "/v1/balance_transactions" }, EmulatorSetup.Json);
        }
    }

    public static WebApplication MapDisputeAndPayoutControls(this WebApplication app)
    {
        var control = app.MapGroup("/_emulator");
        control.MapPost("/disputes", (OpenDisputeRequest request, StripeState state, DisputesAndPayouts book, WebhookSender webhooks, IOptions<EmulatorOptions> options) =>
        {
            lock (state.Gate)
            {
                var intent = state.PaymentIntentOf(request.Account, request.PaymentIntent);
                if (intent?.LatestCharge is not { } chargeId || state.ChargeOf(request.Account, chargeId) is not { } charge)
                {
                    return StripeErrors.Missing("payment_intent", request.PaymentIntent);
                }

                if (book.DisputeOfCharge(request.Account, chargeId) is not null)
                {
                    return StripeErrors.Invalid("This charge is already disputed.", "charge", "charge_disputed");
                }

                // A cardholder's bank disputes what is left of the charge after refunds, unless told otherwise.
                var amount = request.Amount ?? charge.Amount - charge.AmountRefunded;
                if (amount <= 0 || amount > charge.Amount - charge.AmountRefunded)
                {
                    return StripeErrors.Invalid("The disputed amount is more than is left of the charge.", "amount");
                }

                var disputeId = StripeState.NewId("dp_test");
                var withdrawn = Adjustment(state, request.Account, disputeId, -amount, options.Value.DisputeFeeRupiah * 100, "dispute", "Chargeback withdrawal");
                var dispute = new Dispute
                {
                    Id = disputeId,
                    Amount = amount,
                    Currency = charge.Currency,
                    Charge = chargeId,
                    PaymentIntent = intent.Id,
                    Reason = request.Reason ?? "fraudulent",
                    EvidenceDetails = new EvidenceDetails { DueBy = state.Now + (long)options.Value.DisputeEvidenceTime.TotalSeconds },
                    BalanceTransactions = [withdrawn],
                    Created = state.Now,
                    Account = request.Account,
                };
                book.Add(dispute);
                webhooks.Publish("charge.dispute.created", dispute, dispute.Account);
                return Results.Json(dispute, EmulatorSetup.Json);
            }
        });
        control.MapPost("/disputes/{id}/under-review", (string id, StripeState state, DisputesAndPayouts book, WebhookSender webhooks) =>
        {
            lock (state.Gate)
            {
                if (book.DisputeAnyAccount(id) is not { } dispute)
                {
                    return StripeErrors.Missing("dispute", id);
                }

                if (dispute.Status != "needs_response")
                {
                    return StripeErrors.Invalid("Only a dispute that needs a response can go under review.");
                }

                dispute.Status = "under_review";
                webhooks.Publish("charge.dispute.updated", dispute, dispute.Account);
                return Results.Json(dispute, EmulatorSetup.Json);
            }
        });
        control.MapPost("/disputes/{id}/close", (string id, CloseDisputeRequest request, StripeState state, DisputesAndPayouts book, WebhookSender webhooks, IOptions<EmulatorOptions> options) =>
        {
            lock (state.Gate)
            {
                if (book.DisputeAnyAccount(id) is not { } dispute)
                {
                    return StripeErrors.Missing("dispute", id);
                }

                if (dispute.Closed || request.Outcome is not ("won" or "lost"))
                {
                    return StripeErrors.Invalid("Only an open dispute can be won or lost.", "outcome");
                }

                dispute.Status = request.Outcome;
                if (request.Outcome == "won")
                {
                    // Won: the amount comes back; the fee only where Stripe returns it (a setting: Stripe's rule for Indonesia is unconfirmed).
                    var returnedFee = options.Value.DisputeFeeReturnedWhenWon ? -dispute.BalanceTransactions[0].Fee : 0;
                    dispute.BalanceTransactions.Add(Adjustment(state, dispute.Account, dispute.Id, dispute.Amount, returnedFee, "dispute_reversal", "Chargeback reversal"));
                }

                webhooks.Publish("charge.dispute.closed", dispute, dispute.Account);
                return Results.Json(dispute, EmulatorSetup.Json);
            }
        });
        control.MapPost("/payouts", (PayoutRequest request, StripeState state, DisputesAndPayouts book, WebhookSender webhooks) =>
        {
            lock (state.Gate)
            {
                var payout = PayOut(state, book, request.Account, automatic: false);
                if (payout is null)
                {
                    return StripeErrors.Invalid("The account has no balance to pay out.", code: "balance_insufficient");
                }

                webhooks.Publish("payout.created", payout, payout.Account);
                webhooks.Publish("payout.paid", payout, payout.Account);
                return Results.Json(payout, EmulatorSetup.Json);
            }
        });
        return app;
    }

    /// <summary>
    /// Pays out every balance transaction not yet paid out (the emulator does not wait for <c>available_on</c>): the sum of
    /// their nets leaves as one payout, whose own balance transaction takes it off the balance. Null when nothing is owed.
    /// Call under the state's lock.
    /// </summary>
    public static Payout? PayOut(StripeState state, DisputesAndPayouts book, string? account, bool automatic)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(book);
        var unpaid = state.BalanceTransactionsOf(account).Where(t => t.Payout is null && t.Type != "payout").ToList();
        var amount = unpaid.Sum(t => t.Net);
        if (amount <= 0)
        {
            return null;
        }

        var payoutId = StripeState.NewId("po_test");
        var own = new BalanceTransaction
        {
            Id = StripeState.NewId("txn_test"),
            Amount = -amount,
            Currency = "idr",
            Source = payoutId,
            Type = "payout",
            Created = state.Now,
            AvailableOn = state.Now,
            Description = "STRIPE PAYOUT",
            Account = account,
            Payout = payoutId,
        };
        state.Add(own);
        foreach (var transaction in unpaid)
        {
            transaction.Payout = payoutId;
        }

        var payout = new Payout
        {
            Id = payoutId,
            Amount = amount,
            ArrivalDate = state.Now + 24 * 3600,
            Automatic = automatic,
            BalanceTransaction = own.Id,
            Created = state.Now,
            Account = account,
            Transactions = [.. unpaid.Select(t => t.Id), own.Id],
        };
        book.Add(payout);
        return payout;
    }

    private static BalanceTransaction Adjustment(StripeState state, string? account, string disputeId, long amount, long fee, string category, string description)
    {
        var transaction = new BalanceTransaction
        {
            Id = StripeState.NewId("txn_test"),
            Amount = amount,
            FeeDetails = fee != 0 ? [new FeeDetail(fee, "idr", "Dispute fee", "stripe_fee")] : [],
            Currency = "idr",
            Source = disputeId,
            Type = "adjustment",
            Category = category,
            Created = state.Now,
            AvailableOn = state.Now,
            Description = description,
            Account = account,
        };
        state.Add(transaction);
        return transaction;
    }
}
