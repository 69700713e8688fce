using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace Marketplace.StripeEmulator;

public sealed class CheckoutSession
{
    public string Id { get; init; } = string.Empty;

    [JsonPropertyName("object")]
    public string ObjectType => "checkout.session";

    public long AmountTotal { get; init; }

    public long AmountSubtotal => AmountTotal;

    public string Currency { get; init; } = "idr";

    public string Mode => "payment";

    public string Status { get; set; } = "open";

    public string PaymentStatus { get; set; } = "unpaid";

    public string? PaymentIntent { get; set; }

    public string? ClientReferenceId { get; init; }

    public string? CustomerEmail { get; init; }

    public Dictionary<string, string> Metadata { get; init; } = [];

    public string? SuccessUrl { get; init; }

    [JsonIgnore]
    public long? ApplicationFeeAmount { get; init; }

    public string? CancelUrl { get; init; }

    public string? Url { get; set; }

    public long Created { get; init; }

    public long ExpiresAt { get; init; }

    public bool Livemode => false;

    /// <summary>What the page offers (<c>card</c>, <c>qris</c>, <c>gopay</c>), as asked at creation; <c>card</c> when none was named.</summary>
    public List<string> PaymentMethodTypes { get; init; } = ["card"];

    [JsonIgnore]
    public string? Account { get; init; }

    [JsonIgnore]
    public Dictionary<string, string> PaymentIntentMetadata { get; init; } = [];

    [JsonIgnore]
    public List<(string Name, long UnitAmount, long Quantity)> LineItems { get; init; } = [];
}

public sealed class PaymentIntent
{
    public string Id { get; init; } = string.Empty;

    [JsonPropertyName("object")]
    public string ObjectType => "payment_intent";

    public long Amount { get; init; }

    public long AmountReceived { get; set; }

    public string Currency { get; init; } = "idr";

    public string Status { get; set; } = "succeeded";

    public Dictionary<string, string> Metadata { get; init; } = [];

    /// <summary>The method the payer chose: <c>card</c>, or <c>qris</c>/<c>gopay</c>, which complete asynchronously.</summary>
    public List<string> PaymentMethodTypes { get; init; } = ["card"];

    public long? CanceledAt { get; set; }

    public string? CancellationReason { get; set; }

    public string? LatestCharge { get; set; }

    public long? ApplicationFeeAmount { get; init; }

    public long Created { get; init; }

    public bool Livemode => false;

    [JsonIgnore]
    public string? Account { get; init; }

    [JsonIgnore]
    public long Refunded { get; set; }
}

public sealed class Charge
{
    public string Id { get; init; } = string.Empty;

    [JsonPropertyName("object")]
    public string ObjectType => "charge";

    public long Amount { get; init; }

    public long AmountCaptured { get; init; }

    public long AmountRefunded { get; set; }

    public long? ApplicationFeeAmount { get; init; }

    /// <summary>Null while Stripe has not made the balance transaction yet (it may come later, with <c>charge.updated</c>).</summary>
    public string? BalanceTransaction { get; set; }

    public string Currency { get; init; } = "idr";

    public string PaymentIntent { get; init; } = string.Empty;

    /// <summary>How it was paid: <c>{"type": "card"}</c>, <c>{"type": "qris"}</c> or <c>{"type": "gopay"}</c>.</summary>
    public Dictionary<string, object> PaymentMethodDetails { get; init; } = new() { ["type"] = "card" };

    public bool Paid => true;

    public bool Captured => true;

    public bool Refunded => AmountRefunded >= Amount;

    public string Status => "succeeded";

    public long Created { get; init; }

    public bool Livemode => false;

    [JsonIgnore]
    public string? Account { get; init; }

    /// <summary>Its balance transaction, made but not yet attached (see <see cref="ConnectedAccount.DelaysBalanceTransactions"/>).</summary>
    [JsonIgnore]
    public BalanceTransaction? HeldTransaction { get; set; }
}

/// <summary>One part of a balance transaction's fee: Stripe's own, or the platform's application fee.</summary>
public sealed record FeeDetail(long Amount, string Currency, string Description, string Type, string? Application = null);

/// <summary>
/// What a charge or a refund did to the account's balance, as Stripe reports it: amount, fee (with its parts) and net
/// (amount − fee), in the currency's smallest unit (IDR: hundredths of a rupiah). A refund's amount and net are negative.
/// </summary>
public sealed class BalanceTransaction
{
    public string Id { get; init; } = string.Empty;

    [JsonPropertyName("object")]
    public string ObjectType => "balance_transaction";

    public long Amount { get; init; }

    public long Fee => FeeDetails.Sum(f => f.Amount);

    public List<FeeDetail> FeeDetails { get; init; } = [];

    public long Net => Amount - Fee;

    public string Currency { get; init; } = "idr";

    public string Source { get; init; } = string.Empty;

    public string Type { get; init; } = "charge";

    /// <summary>Stripe's finer grouping: <c>dispute</c> and <c>dispute_reversal</c> for a dispute's adjustments; else the type.</summary>
    public string ReportingCategory => Category ?? Type;

    [JsonIgnore]
    public string? Category { get; init; }

    /// <summary>The payout that took this transaction's net to the bank, once one has.</summary>
    [JsonIgnore]
    public string? Payout { get; set; }

    public string Status => "pending";

    public long Created { get; init; }

    public long AvailableOn { get; init; }

    public string? Description { get; init; }

    [JsonIgnore]
    public string? Account { get; init; }
}

public sealed class Refund
{
    public string Id { get; init; } = string.Empty;

    [JsonPropertyName("object")]
    public string ObjectType => "refund";

    public long Amount { get; init; }

    public string Currency { get; init; } = "idr";

    public string PaymentIntent { get; init; } = string.Empty;

    public string? Charge { get; init; }

    public string? BalanceTransaction { get; init; }

    public string Status { get; init; } = "succeeded";

    public string? Reason { get; init; }

    public Dictionary<string, string> Metadata { get; init; } = [];

    public long Created { get; init; }

    [JsonIgnore]
    public string? Account { get; init; }
}

/// <summary>
/// Everything the emulator knows, in memory, per Stripe account (the platform's, or a connected one named by the
/// Stripe-Account header). One lock: this serves a laptop and a test run, not production traffic.
/// </summary>
public sealed class StripeState(TimeProvider clock)
{
    private readonly Dictionary<string, CheckoutSession> _sessions = [];
    private readonly Dictionary<string, PaymentIntent> _paymentIntents = [];
    private readonly Dictionary<string, Refund> _refunds = [];
    private readonly Dictionary<string, Charge> _charges = [];
    private readonly Dictionary<string, BalanceTransaction> _balanceTransactions = [];
    private readonly Dictionary<string, (string Fingerprint, int Status, string Body)> _idempotency = [];
    private readonly Dictionary<string, ConnectedAccount> _accounts = [];
    private readonly Dictionary<string, AccountLink> _accountLinks = [];

    public object Gate { get; } = new();

    public long Now => clock.GetUtcNow().ToUnixTimeSeconds();

    public static string NewId(string prefix) => prefix + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public void Add(CheckoutSession session) => _sessions[Key(session.Account, session.Id)] = session;

    public void Add(PaymentIntent intent) => _paymentIntents[Key(intent.Account, intent.Id)] = intent;

    public void Add(Refund refund) => _refunds[Key(refund.Account, refund.Id)] = refund;

    public void Add(Charge charge) => _charges[Key(charge.Account, charge.Id)] = charge;

    public void Add(BalanceTransaction transaction) => _balanceTransactions[Key(transaction.Account, transaction.Id)] = transaction;

    public void Add(ConnectedAccount account) => _accounts[account.Id] = account;

    public void Add(AccountLink link) => _accountLinks[link.Token] = link;

    /// <summary>A connected account of the platform; null for an id the emulator never created.</summary>
    public ConnectedAccount? AccountOf(string id) => _accounts.GetValueOrDefault(id);

    public AccountLink? AccountLinkOf(string token) => _accountLinks.GetValueOrDefault(token);

    public Charge? ChargeOf(string? account, string id) => _charges.GetValueOrDefault(Key(account, id));

    public BalanceTransaction? BalanceTransactionOf(string? account, string id) => _balanceTransactions.GetValueOrDefault(Key(account, id));

    /// <summary>Every balance transaction of an account, in the order they were made.</summary>
    public IEnumerable<BalanceTransaction> BalanceTransactionsOf(string? account) => _balanceTransactions.Values.Where(t => t.Account == account);

    /// <summary>A session of this account; an open one past its expiry is expired on the way (Stripe does it within the hour).</summary>
    public CheckoutSession? Session(string? account, string id)
    {
        var session = _sessions.GetValueOrDefault(Key(account, id));
        if (session is { Status: "open" } && session.ExpiresAt <= Now)
        {
            session.Status = "expired";
        }

        // A QRIS code or GoPay request nobody paid lapses with the session: its PaymentIntent is cancelled.
        if (session is { Status: "complete", PaymentStatus: "unpaid", PaymentIntent: { } intentId } && session.ExpiresAt <= Now
            && PaymentIntentOf(account, intentId) is { Status: "requires_action" } pending)
        {
            pending.Status = "canceled";
            pending.CanceledAt = Now;
            pending.CancellationReason = "abandoned";
        }

        return session;
    }

    /// <summary>A session by id alone: the hosted page does not know the account.</summary>
    public CheckoutSession? SessionAnyAccount(string id)
    {
        var session = _sessions.Values.FirstOrDefault(s => s.Id == id);
        return session is null ? null : Session(session.Account, id);
    }

    public PaymentIntent? PaymentIntentOf(string? account, string id) => _paymentIntents.GetValueOrDefault(Key(account, id));

    public Refund? RefundOf(string? account, string id) => _refunds.GetValueOrDefault(Key(account, id));

    public IEnumerable<Refund> RefundsOf(string? account) => _refunds.Values.Where(r => r.Account == account);

    public bool TryGetIdempotent(string? account, string key, string fingerprint, out (bool Conflict, int Status, string Body) answer)
    {
        if (_idempotency.TryGetValue(Key(account, key), out var stored))
        {
            answer = (stored.Fingerprint != fingerprint, stored.Status, stored.Body);
            return true;
        }

        answer = default;
        return false;
    }

    public void RememberIdempotent(string? account, string key, string fingerprint, int status, string body) =>
        _idempotency[Key(account, key)] = (fingerprint, status, body);

    private static string Key(string? account, string id) => (account ?? "platform") + "/" + id;
}
