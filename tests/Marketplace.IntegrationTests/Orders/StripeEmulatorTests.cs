using Marketplace.LocalInfrastructure;
using Marketplace.Testing;
using Stripe;
using Stripe.Checkout;

namespace Marketplace.IntegrationTests;

/// <summary>The emulator answers Stripe.net as Stripe does, idempotency keys included.</summary>
public sealed class StripeEmulatorTests : IAsyncLifetime
{
    private ServiceHost<StripeEmulator.Program> _emulator = null!;
    private StripeClient _stripe = null!;

    public Task InitializeAsync()
    {
        var port = FreePorts.Next();
        _emulator = new ServiceHost<StripeEmulator.Program>(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            // Connected accounts that finished onboarding: any other Stripe-Account is refused, as Stripe does.
            ["Emulator:EnabledAccounts:0"] = "acct_test_koperasi",
            ["Emulator:EnabledAccounts:1"] = "acct_someone_else",
        });
        _emulator.ListenOn(port);
        _emulator.StartServer();
        _stripe = new StripeClient(new StripeClientOptions { ApiKey = "sk_test_emulator", ApiBase = $"http://127.0.0.1:{port}" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task The_same_idempotency_key_returns_the_same_session_and_refuses_other_parameters()
    {
        var sessions = new SessionService(_stripe);
        var options = new RequestOptions { IdempotencyKey = "checkout-order-1", StripeAccount = "acct_test_koperasi" };

        var first = await sessions.CreateAsync(Checkout(25_000), options);
        var again = await sessions.CreateAsync(Checkout(25_000), options);
        var other = await Assert.ThrowsAsync<StripeException>(() => sessions.CreateAsync(Checkout(30_000), options));
        var elsewhere = await Assert.ThrowsAsync<StripeException>(() => sessions.GetAsync(first.Id, null, new RequestOptions { StripeAccount = "acct_someone_else" }));

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(2_500_000, first.AmountTotal);
        Assert.Equal("idr", first.Currency);
        Assert.Equal("idempotency_error", other.StripeError.Type);
        Assert.Equal("resource_missing", elsewhere.StripeError.Code);
    }

    [Fact]
    public async Task A_refund_cannot_exceed_what_the_payment_left_unrefunded()
    {
        var account = new RequestOptions { StripeAccount = "acct_test_koperasi" };
        var session = await new SessionService(_stripe).CreateAsync(Checkout(50_000), account);
        using (var http = new HttpClient { BaseAddress = new Uri(_stripe.ApiBase) })
        {
            (await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(http, $"/_emulator/checkout/{session.Id}/pay", new { card = "4242424242424242" })).EnsureSuccessStatusCode();
        }

        var paid = await new SessionService(_stripe).GetAsync(session.Id, null, account);
        var refunds = new RefundService(_stripe);
        var part = await refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = paid.PaymentIntentId, Amount = 3_000_000 }, account);
        var tooMuch = await Assert.ThrowsAsync<StripeException>(() =>
            refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = paid.PaymentIntentId, Amount = 2_500_000 }, account));

        Assert.Equal("complete", paid.Status);
        Assert.Equal("succeeded", part.Status);
        Assert.Equal("amount_too_large", tooMuch.StripeError.Code);
    }

    private static SessionCreateOptions Checkout(long rupiah) => new()
    {
        Mode = "payment",
        LineItems =
        [
            new SessionLineItemOptions
            {
                Quantity = 1,
                PriceData = new SessionLineItemPriceDataOptions
                {
                    Currency = "idr",
                    UnitAmount = rupiah * 100,
                    ProductData = new SessionLineItemPriceDataProductDataOptions { Name = "Kerupuk Ikan" },
                },
            },
        ],
        SuccessUrl = "http://localhost/orders/1?paid=1",
    };
}
