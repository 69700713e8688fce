namespace Marketplace.StripeEmulator;

public static class CheckoutSessionsApi
{
    public static RouteGroupBuilder MapCheckoutSessions(this RouteGroupBuilder v1)
    {
        v1.MapPost("/checkout/sessions", CreateAsync);
        v1.MapGet("/checkout/sessions/{id}", RetrieveAsync);
        v1.MapPost("/checkout/sessions/{id}/expire", ExpireAsync);
        return v1;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, StripeState state, WebhookSender webhooks)
    {
        var request = await StripeRequest.ReadAsync(http.Request);
        return request.Once(state, "POST /v1/checkout/sessions", () =>
        {
            // Stripe takes no payment for a connected account that has not finished onboarding.
            if (request.Account is not null && state.AccountOf(request.Account) is { ChargesEnabled: false })
            {
                return StripeErrorBody.Invalid($"The account {request.Account} cannot currently make charges: its charges are not enabled (requirements are still due).");
            }

            if (request.Value("mode") != "payment")
            {
                return StripeErrorBody.Invalid("Only mode=payment is emulated.", "mode");
            }

            var lines = new List<(string Name, long UnitAmount, long Quantity)>();
            string? currency = null;
            for (var i = 0; request.Value($"line_items[{i}][quantity]") is not null; i++)
            {
                var prefix = $"line_items[{i}][price_data]";
                var lineCurrency = request.Value($"{prefix}[currency]");
                var unitAmount = request.Number($"{prefix}[unit_amount]");
                var quantity = request.Number($"line_items[{i}][quantity]");
                if (lineCurrency is null || unitAmount is not > 0 || quantity is not > 0)
                {
                    return StripeErrorBody.Invalid($"line_items[{i}] needs price_data[currency], a positive price_data[unit_amount] and quantity.", $"line_items[{i}]");
                }

                if (currency is not null && currency != lineCurrency)
                {
                    return StripeErrorBody.Invalid("All line items must have the same currency.", $"line_items[{i}][price_data][currency]");
                }

                currency = lineCurrency;
                lines.Add((request.Value($"{prefix}[product_data][name]") ?? "Item", unitAmount.Value, quantity.Value));
            }

            if (lines.Count == 0)
            {
                return StripeErrorBody.Invalid("line_items is required in payment mode.", "line_items");
            }

            if (request.Number("payment_intent_data[application_fee_amount]") is { } applicationFee
                && (applicationFee < 0 || applicationFee > lines.Sum(l => l.UnitAmount * l.Quantity) || request.Account is null))
            {
                return StripeErrorBody.Invalid("application_fee_amount must be between 0 and the amount, on a connected account's payment.", "payment_intent_data[application_fee_amount]");
            }

            // Stripe's page offers what the session names; QRIS and GoPay are Indonesian methods, taken in rupiah only.
            var methods = new List<string>();
            for (var i = 0; request.Value($"payment_method_types[{i}]") is { } method; i++)
            {
                if (method is not ("card" or "qris" or "gopay"))
                {
                    return StripeErrorBody.Invalid($"The payment method type \"{method}\" is invalid. The emulator knows card, qris and gopay.", $"payment_method_types[{i}]");
                }

                if (method != "card" && currency != "idr")
                {
                    return StripeErrorBody.Invalid($"The payment method type \"{method}\" only accepts IDR.", $"payment_method_types[{i}]");
                }

                // Stripe refuses a type the account has not activated.
                if (request.Account is not null && state.AccountOf(request.Account) is { } account && !account.Offers(method))
                {
                    return StripeErrorBody.Invalid($"The payment method type provided: {method} is invalid. Please ensure the provided type is activated in your dashboard (https://dashboard.stripe.com/account/payments/settings) and your account is enabled for any preview features that you are trying to use.", "payment_method_types");
                }

                if (!methods.Contains(method))
                {
                    methods.Add(method);
                }
            }

            var now = state.Now;
            var expiresAt = request.Number("expires_at") ?? now + 24 * 3600;
            if (expiresAt < now + 30 * 60 || expiresAt > now + 24 * 3600)
            {
                return StripeErrorBody.Invalid("expires_at must be between 30 minutes and 24 hours from now.", "expires_at");
            }

            var id = StripeState.NewId("cs_test");
            var session = new CheckoutSession
            {
                Id = id,
                AmountTotal = lines.Sum(l => l.UnitAmount * l.Quantity),
                Currency = currency!,
                ClientReferenceId = request.Value("client_reference_id"),
                CustomerEmail = request.Value("customer_email"),
                Metadata = request.Hash("metadata"),
                PaymentIntentMetadata = request.Hash("payment_intent_data[metadata]"),
                ApplicationFeeAmount = request.Number("payment_intent_data[application_fee_amount]"),
                SuccessUrl = request.Value("success_url"),
                CancelUrl = request.Value("cancel_url"),
                Created = now,
                ExpiresAt = expiresAt,
                Account = request.Account,
                LineItems = lines,
                PaymentMethodTypes = methods.Count > 0 ? methods : ["card"],
                Url = $"{http.Request.Scheme}://{http.Request.Host}/checkout/{id}",
            };
            state.Add(session);
            return (200, session);
        });
    }

    private static IResult RetrieveAsync(string id, HttpContext http, StripeState state)
    {
        lock (state.Gate)
        {
            var session = state.Session(http.Request.Headers["Stripe-Account"].FirstOrDefault(), id);
            return session is null ? StripeErrors.Missing("checkout.session", id) : Results.Json(session, EmulatorSetup.Json);
        }
    }

    private static async Task<IResult> ExpireAsync(string id, HttpContext http, StripeState state, WebhookSender webhooks)
    {
        var request = await StripeRequest.ReadAsync(http.Request);
        return request.Once(state, $"POST /v1/checkout/sessions/{id}/expire", () =>
        {
            var session = state.Session(request.Account, id);
            if (session is null)
            {
                return StripeErrorBody.Missing("checkout.session", id);
            }

            if (session.Status != "open")
            {
                return StripeErrorBody.Invalid($"Only Checkout Sessions with a status in [\"open\"] can be expired. This Checkout Session has a status of \"{session.Status}\".");
            }

            session.Status = "expired";
            webhooks.Publish("checkout.session.expired", session, session.Account);
            return (200, session);
        });
    }
}

public static class PaymentIntentsApi
{
    public static RouteGroupBuilder MapPaymentIntents(this RouteGroupBuilder v1)
    {
        v1.MapGet("/payment_intents/{id}", (string id, HttpContext http, StripeState state) =>
        {
            lock (state.Gate)
            {
                var intent = state.PaymentIntentOf(http.Request.Headers["Stripe-Account"].FirstOrDefault(), id);
                return intent is null ? StripeErrors.Missing("payment_intent", id) : Results.Json(intent, EmulatorSetup.Json);
            }
        });
        v1.MapPost("/payment_intents/{id}/cancel", CancelAsync);
        return v1;
    }

    /// <summary>
    /// Stripe cancels a PaymentIntent that has not succeeded and is not processing: a QRIS code or GoPay request still
    /// waiting for the payer can no longer be paid afterwards.
    /// </summary>
    private static async Task<IResult> CancelAsync(string id, HttpContext http, StripeState state, WebhookSender webhooks)
    {
        var request = await StripeRequest.ReadAsync(http.Request);
        return request.Once(state, $"POST /v1/payment_intents/{id}/cancel", () =>
        {
            var intent = state.PaymentIntentOf(request.Account, id);
            if (intent is null)
            {
                return StripeErrorBody.Missing("payment_intent", id);
            }

            if (intent.Status is not ("requires_payment_method" or "requires_action" or "requires_confirmation" or "requires_capture"))
            {
                return (400, new
                {
                    error = new
                    {
                        type = "invalid_request_error",
                        code = "payment_intent_unexpected_state",
                        message = $"You cannot cancel this PaymentIntent because it has a status of {intent.Status}.",
                    },
                });
            }

            intent.Status = "canceled";
            intent.CanceledAt = state.Now;
            intent.CancellationReason = request.Value("cancellation_reason") ?? "requested_by_customer";
            webhooks.Publish("payment_intent.canceled", intent, intent.Account);
            return (200, intent);
        });
    }
}

public static class RefundsApi
{
    public static RouteGroupBuilder MapRefunds(this RouteGroupBuilder v1)
    {
        v1.MapPost("/refunds", CreateAsync);
        // Stripe's list: newest first, optionally of one PaymentIntent (no paging: the emulator holds few).
        v1.MapGet("/refunds", (HttpContext http, StripeState state, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "payment_intent")] string? paymentIntent) =>
        {
            lock (state.Gate)
            {
                var refunds = state.RefundsOf(http.Request.Headers["Stripe-Account"].FirstOrDefault())
                    .Where(r => paymentIntent is null || r.PaymentIntent == paymentIntent).OrderByDescending(r => r.Created).ToList();
                return Results.Json(new { @object = "list", data = refunds, has_more = false, url = "/v1/refunds" }, EmulatorSetup.Json);
            }
        });
        v1.MapGet("/refunds/{id}", (string id, HttpContext http, StripeState state) =>
        {
            lock (state.Gate)
            {
                var refund = state.RefundOf(http.Request.Headers["Stripe-Account"].FirstOrDefault(), id);
                return refund is null ? StripeErrors.Missing("refund", id) : Results.Json(refund, EmulatorSetup.Json);
            }
        });
        return v1;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, StripeState state, DisputesAndPayouts disputes, WebhookSender webhooks, Microsoft.Extensions.Options.IOptions<EmulatorOptions> options)
    {
        var request = await StripeRequest.ReadAsync(http.Request);
        return request.Once(state, "POST /v1/refunds", () =>
        {
            var intentId = request.Value("payment_intent");
            if (intentId is null)
            {
                return StripeErrorBody.Invalid("payment_intent is required.", "payment_intent");
            }

            var intent = state.PaymentIntentOf(request.Account, intentId);
            if (intent is null)
            {
                return StripeErrorBody.Missing("payment_intent", intentId);
            }

            if (intent.Status != "succeeded")
            {
                return StripeErrorBody.Invalid("This PaymentIntent has no successful charge to refund.", "payment_intent");
            }

            // Stripe refuses to refund a disputed charge: the dispute decides where its money goes.
            if (intent.LatestCharge is not null && disputes.DisputeOfCharge(request.Account, intent.LatestCharge) is { Status: not "won" })
            {
                return (400, new { error = new { type = "invalid_request_error", message = $"Charge {intent.LatestCharge} has been charged back; cannot issue a refund.", code = "charge_disputed", param = (string?)null } });
            }

            var remaining = intent.AmountReceived - intent.Refunded;
            var amount = request.Number("amount") ?? remaining;
            if (amount <= 0 || amount > remaining)
            {
                return (400, new
                {
                    error = new
                    {
                        type = "invalid_request_error",
                        message = $"Refund amount ({amount}) is greater than unrefunded amount on charge ({remaining})",
                        code = "amount_too_large",
                        param = "amount",
                    },
                });
            }

            intent.Refunded += amount;
            var refundId = StripeState.NewId("re_test");
            if (intent.LatestCharge is not null && state.ChargeOf(request.Account, intent.LatestCharge) is { } charge)
            {
                charge.AmountRefunded += amount;
            }

            var refund = new Refund
            {
                Id = refundId,
                BalanceTransaction = Balance.Refund(state, options.Value, request.Account, refundId, amount, intent.Currency).Id,
                Amount = amount,
                Currency = intent.Currency,
                PaymentIntent = intent.Id,
                Charge = intent.LatestCharge,
                Reason = request.Value("reason"),
                Metadata = request.Hash("metadata"),
                Created = state.Now,
                Account = request.Account,
            };
            state.Add(refund);
            webhooks.Publish("refund.created", refund, refund.Account);
            return (200, refund);
        });
    }
}
