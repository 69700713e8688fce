namespace Marketplace.StripeEmulator;

/// <summary>
/// Charges and balance transactions: what each payment and refund did to the account's balance, with Stripe's fee and
/// the platform's application fee, as <c>GET /v1/charges/{id}</c> and <c>GET /v1/balance_transactions/{id}</c> show them.
/// Amounts are in the currency's smallest unit (IDR: hundredths of a rupiah); the emulator's fees are whole rupiah.
/// </summary>
public static class Balance
{
    /// <summary>
    /// A payment of the session's amount by <paramref name="method"/> (<c>card</c>, <c>qris</c>, <c>gopay</c>): its charge and
    /// its balance transaction (Stripe's fee for that method, the application fee).
    /// </summary>
    public static Charge Charge(StripeState state, EmulatorOptions options, CheckoutSession session, string paymentIntentId, string method = "card")
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(session);
        var chargeId = StripeState.NewId("ch_test");
        var stripeFee = method switch
        {
            "qris" => WholeRupiah(session.AmountTotal * options.QrisFeePercent / 100m),
            "gopay" => WholeRupiah(session.AmountTotal * options.GoPayFeePercent / 100m),
            _ => WholeRupiah(session.AmountTotal * options.CardFeePercent / 100m) + options.CardFeeFixedRupiah * 100,
        };
        List<FeeDetail> fees = [new(stripeFee, session.Currency, "Stripe processing fees", "stripe_fee")];
        if (session.ApplicationFeeAmount is > 0 and var applicationFee)
        {
            fees.Add(new FeeDetail(applicationFee, session.Currency, "Application fee", "application_fee", "ca_platform"));
        }

        var transaction = new BalanceTransaction
        {
            Id = StripeState.NewId("txn_test"),
            Amount = session.AmountTotal,
            FeeDetails = fees,
            Currency = session.Currency,
            Source = chargeId,
            Type = "charge",
            Created = state.Now,
            AvailableOn = state.Now + 2 * 24 * 3600,
            Account = session.Account,
        };
        var delayed = session.Account is not null && state.AccountOf(session.Account) is { DelaysBalanceTransactions: true };
        if (!delayed)
        {
            state.Add(transaction);
        }

        var charge = new Charge
        {
            Id = chargeId,
            Amount = session.AmountTotal,
            AmountCaptured = session.AmountTotal,
            ApplicationFeeAmount = session.ApplicationFeeAmount,
            BalanceTransaction = delayed ? null : transaction.Id,
            HeldTransaction = delayed ? transaction : null,
            Currency = session.Currency,
            PaymentIntent = paymentIntentId,
            PaymentMethodDetails = new() { ["type"] = method, [method] = new Dictionary<string, object>() },
            Created = state.Now,
            Account = session.Account,
        };
        state.Add(charge);
        return charge;
    }

    /// <summary>A refund's balance transaction: the amount leaves the balance (negative), with the refund fee set for the emulator, if any.</summary>
    public static BalanceTransaction Refund(StripeState state, EmulatorOptions options, string? account, string refundId, long amount, string currency)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        var transaction = new BalanceTransaction
        {
            Id = StripeState.NewId("txn_test"),
            Amount = -amount,
            FeeDetails = options.RefundFeeRupiah > 0 ? [new FeeDetail(options.RefundFeeRupiah * 100, currency, "Refund fee", "stripe_fee")] : [],
            Currency = currency,
            Source = refundId,
            Type = "refund",
            Created = state.Now,
            AvailableOn = state.Now,
            Account = account,
        };
        state.Add(transaction);
        return transaction;
    }

    public static RouteGroupBuilder MapChargesAndBalance(this RouteGroupBuilder v1)
    {
        v1.MapGet("/charges/{id}", (string id, HttpContext http, StripeState state) =>
        {
            lock (state.Gate)
            {
                var charge = state.ChargeOf(http.Request.Headers["Stripe-Account"].FirstOrDefault(), id);
                return charge is null ? StripeErrors.Missing("charge", id) : Results.Json(charge, EmulatorSetup.Json);
            }
        });
        v1.MapGet("/balance_transactions/{id}", (string id, HttpContext http, StripeState state) =>
        {
            lock (state.Gate)
            {
                var transaction = state.BalanceTransactionOf(http.Request.Headers["Stripe-Account"].FirstOrDefault(), id);
                return transaction is null ? StripeErrors.Missing("balance_transaction", id) : Results.Json(transaction, EmulatorSetup.Json);
            }
        });
        return v1;
    }

    /// <summary>A fee in hundredths of a rupiah, rounded to the whole rupiah (half away from zero).</summary>
    private static long WholeRupiah(decimal hundredths) => (long)Math.Round(hundredths / 100m, MidpointRounding.AwayFromZero) * 100;
}
