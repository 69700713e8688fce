using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marketplace.LocalInfrastructure;
using Marketplace.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Marketplace.IntegrationTests.Notifications;

/// <summary>
/// The WhatsApp emulator checks sends as the Cloud API does, answers in its shapes, and reports statuses in signed,
/// retried webhooks to a receiver started by the test.
/// </summary>
public sealed class WhatsAppEmulatorTests : IAsyncLifetime
{
    private const string AccessToken = "EAAG-test-token";
    private const string AppSecret = "test-app-secret";
    private const string PhoneNumberId = "109876543210987";
    private const string BusinessAccountId = "209876543210987";
    private const string Template = "pesanan_siap_diambil";

    private readonly WebhookInbox _inbox = new();
    private WebApplication _receiver = null!;
    private ServiceHost<WhatsAppEmulator.Program> _emulator = null!;
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        var receiverPort = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{receiverPort}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        _receiver = builder.Build();
        _receiver.MapPost("/webhooks/whatsapp", _inbox.ReceiveAsync);
        await _receiver.StartAsync();

        var port = FreePorts.Next();
        _emulator = new ServiceHost<WhatsAppEmulator.Program>(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["WhatsAppEmulator:AccessToken"] = AccessToken,
            ["WhatsAppEmulator:AppSecret"] = AppSecret,
            ["WhatsAppEmulator:PhoneNumberId"] = PhoneNumberId,
            ["WhatsAppEmulator:BusinessAccountId"] = BusinessAccountId,
            ["WhatsAppEmulator:WebhookUrl"] = $"http://127.0.0.1:{receiverPort}/webhooks/whatsapp",
            ["WhatsAppEmulator:WebhookRetryDelays:0"] = "00:00:00.200",
            ["WhatsAppEmulator:WebhookRetryDelays:1"] = "00:00:00.500",
            ["WhatsAppEmulator:StatusDelay"] = "00:00:00.050",
            ["WhatsAppEmulator:Templates:0:Name"] = Template,
            ["WhatsAppEmulator:Templates:0:Language"] = "id",
            ["WhatsAppEmulator:Templates:0:Body"] = "Halo {{1}}, pesanan {{2}} siap diambil di {{3}}.",
        });
        _emulator.ListenOn(port);
        _emulator.StartServer();
        _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        _api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _emulator.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_template_message_is_answered_as_Meta_answers_and_read_back_with_its_text_filled_in()
    {
        var response = await SendAsync(TemplateSend("6281234567001", Template, "id", "Sari", "MP-17", "Kios Pantai Binor"));
        await SendAsync(TemplateSend("6281234567002", Template, "id", "Wati", "MP-18", "Kios Pantai Binor"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        var root = answer.RootElement;
        Assert.Equal("whatsapp", root.GetProperty("messaging_product").GetString());
        Assert.Equal("6281234567001", root.GetProperty("contacts")[0].GetProperty("input").GetString());
        Assert.Equal("6281234567001", root.GetProperty("contacts")[0].GetProperty("wa_id").GetString());
        var id = root.GetProperty("messages")[0].GetProperty("id").GetString();
        Assert.StartsWith("wamid.", id);
        Assert.Equal("accepted", root.GetProperty("messages")[0].GetProperty("message_status").GetString());

        var messages = await MessagesAsync("6281234567001");
        var message = Assert.Single(messages);
        Assert.Equal(id, message.Id);
        Assert.Equal(Template, message.TemplateName);
        Assert.Equal("id", message.Language);
        Assert.Equal(["Sari", "MP-17", "Kios Pantai Binor"], message.Parameters);
        Assert.Equal("Halo Sari, pesanan MP-17 siap diambil di Kios Pantai Binor.", message.Text);

        var page = await _api.GetStringAsync("/numbers/6281234567001");
        Assert.Contains("Halo Sari, pesanan MP-17 siap diambil di Kios Pantai Binor.", page);
        Assert.DoesNotContain("Wati", page);
    }

    [Fact]
    public async Task A_template_registered_at_run_time_can_be_sent_in_its_language_only()
    {
        var registered = await _api.PostAsJsonAsync("/_emulator/templates", new { name = "kode_masuk", language = "en", body = "Your sign-in code is *{{1}}*.", category = "AUTHENTICATION" });
        var gaps = await _api.PostAsJsonAsync("/_emulator/templates", new { name = "kode_rusak", language = "en", body = "{{1}} and {{3}}" });

        var english = await SendAsync(TemplateSend("6281234567011", "kode_masuk", "en", "482913"));
        var indonesian = await SendAsync(TemplateSend("6281234567011", "kode_masuk", "id", "482913"));

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, gaps.StatusCode);
        Assert.Equal(HttpStatusCode.OK, english.StatusCode);
        await AssertGraphErrorAsync(indonesian, HttpStatusCode.NotFound, 132001, "OAuthException");
        Assert.Equal("Your sign-in code is *482913*.", Assert.Single(await MessagesAsync("6281234567011")).Text);
    }

    [Fact]
    public async Task A_missing_or_wrong_token_is_refused_with_an_OAuth_error()
    {
        using var anonymous = new HttpClient { BaseAddress = _api.BaseAddress };
        var missing = await anonymous.PostAsJsonAsync($"/v21.0/{PhoneNumberId}/messages", TemplateSend("6281234567003", Template, "id", "a", "b", "c"));
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "EAAG-someone-elses-token");
        var wrong = await anonymous.PostAsJsonAsync($"/v21.0/{PhoneNumberId}/messages", TemplateSend("6281234567003", Template, "id", "a", "b", "c"));

        await AssertGraphErrorAsync(missing, HttpStatusCode.Unauthorized, 190, "OAuthException");
        await AssertGraphErrorAsync(wrong, HttpStatusCode.Unauthorized, 190, "OAuthException");
        Assert.Empty(await MessagesAsync("6281234567003"));
    }

    [Theory]
    [InlineData("6281234567004", Template, "en", 3, HttpStatusCode.NotFound, 132001)] // no English translation
    [InlineData("6281234567004", "pesanan_tidak_ada", "id", 3, HttpStatusCode.NotFound, 132001)]
    [InlineData("6281234567004", Template, "id", 2, HttpStatusCode.BadRequest, 132000)]
    [InlineData("6281234567004", Template, "id", 4, HttpStatusCode.BadRequest, 132000)]
    [InlineData("081234567004", Template, "id", 3, HttpStatusCode.BadRequest, 100)] // national format, no country code
    [InlineData("62-812-345", Template, "id", 3, HttpStatusCode.BadRequest, 100)]
    public async Task A_send_the_Cloud_API_would_refuse_gets_its_error_and_is_not_delivered(
        string to, string template, string language, int parameterCount, HttpStatusCode status, int code)
    {
        var parameters = Enumerable.Range(1, parameterCount).Select(i => $"nilai {i}").ToArray();

        var response = await SendAsync(TemplateSend(to, template, language, parameters));

        var error = await AssertGraphErrorAsync(response, status, code, "OAuthException");
        Assert.Equal("whatsapp", error.GetProperty("error_data").GetProperty("messaging_product").GetString());
        Assert.Empty(await MessagesAsync());
    }

    [Fact]
    public async Task A_phone_number_id_that_is_not_the_businesss_is_an_unknown_object()
    {
        var response = await _api.PostAsJsonAsync("/v21.0/111111111111111/messages", TemplateSend("6281234567005", Template, "id", "a", "b", "c"));

        var error = await AssertGraphErrorAsync(response, HttpStatusCode.BadRequest, 100, "GraphMethodException");
        Assert.Equal(33, error.GetProperty("error_subcode").GetInt32());
    }

    [Fact]
    public async Task An_accepted_message_is_reported_sent_then_delivered_in_webhooks_signed_with_the_app_secret()
    {
        var id = await SendAcceptedAsync("6281234567006", "Sari", "MP-19", "Kios Pantai Binor");

        await Eventually.TrueAsync(() => Task.FromResult(_inbox.Statuses(id).Contains("delivered")), because: "the delivered webhook");

        Assert.Equal(["sent", "delivered"], _inbox.Statuses(id));
        foreach (var webhook in _inbox.Received.Where(w => w.MessageId == id))
        {
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(AppSecret), webhook.Body));
            Assert.Equal(expected, webhook.Signature);
            using var payload = JsonDocument.Parse(webhook.Body);
            var entry = payload.RootElement.GetProperty("entry")[0];
            Assert.Equal("whatsapp_business_account", payload.RootElement.GetProperty("object").GetString());
            Assert.Equal(BusinessAccountId, entry.GetProperty("id").GetString());
            Assert.Equal("messages", entry.GetProperty("changes")[0].GetProperty("field").GetString());
            var value = entry.GetProperty("changes")[0].GetProperty("value");
            Assert.Equal(PhoneNumberId, value.GetProperty("metadata").GetProperty("phone_number_id").GetString());
            Assert.Equal("6281234567006", value.GetProperty("statuses")[0].GetProperty("recipient_id").GetString());
        }

        var message = Assert.Single(await MessagesAsync("6281234567006"));
        Assert.Equal("delivered", message.Status);
    }

    [Fact]
    public async Task Told_to_fail_twice_the_emulator_answers_500_twice_then_accepts_the_same_send()
    {
        (await _api.PostAsJsonAsync("/_emulator/fail-next", new { count = 2, mode = "http" })).EnsureSuccessStatusCode();
        var send = TemplateSend("6281234567007", Template, "id", "Sari", "MP-20", "Kios Pantai Binor");

        var first = await SendAsync(send);
        var second = await SendAsync(send);
        var third = await SendAsync(send);

        await AssertGraphErrorAsync(first, HttpStatusCode.InternalServerError, 131000, "OAuthException");
        await AssertGraphErrorAsync(second, HttpStatusCode.InternalServerError, 131000, "OAuthException");
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        var message = Assert.Single(await MessagesAsync("6281234567007"));
        await Eventually.TrueAsync(() => Task.FromResult(_inbox.Statuses(message.Id).Contains("delivered")), because: "the delivered webhook");
    }

    [Fact]
    public async Task A_send_accepted_but_undeliverable_is_reported_failed_with_Metas_error()
    {
        (await _api.PostAsJsonAsync("/_emulator/fail-next", new { count = 1, mode = "status", code = 131026 })).EnsureSuccessStatusCode();

        var id = await SendAcceptedAsync("6281234567008", "Sari", "MP-21", "Kios Pantai Binor");

        await Eventually.TrueAsync(() => Task.FromResult(_inbox.Statuses(id).Contains("failed")), because: "the failed webhook");
        Assert.Equal(["failed"], _inbox.Statuses(id));
        using var payload = JsonDocument.Parse(_inbox.Received.Single(w => w.MessageId == id).Body);
        var error = payload.RootElement.GetProperty("entry")[0].GetProperty("changes")[0].GetProperty("value").GetProperty("statuses")[0].GetProperty("errors")[0];
        Assert.Equal(131026, error.GetProperty("code").GetInt32());
        Assert.Equal("Message undeliverable", error.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_webhook_the_receiver_refused_is_posted_again_until_it_answers_200()
    {
        _inbox.RefuseNext(1);

        var id = await SendAcceptedAsync("6281234567009", "Sari", "MP-22", "Kios Pantai Binor");

        await Eventually.TrueAsync(() => Task.FromResult(_inbox.Statuses(id).Contains("delivered")), because: "the delivered webhook");
        var sent = _inbox.Received.Where(w => w.MessageId == id && w.Status == "sent").ToList();
        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.OK], sent.Select(w => w.Answer));
        Assert.Equal(sent[0].Body, sent[1].Body);
        var message = Assert.Single(await MessagesAsync("6281234567009"));
        Assert.Equal(2, message.Statuses.Single(s => s.Status == "sent").WebhookAttempts);
        Assert.Equal("delivered", message.Statuses.Single(s => s.Status == "sent").Webhook);
    }

    [Fact]
    public async Task A_free_text_message_is_delivered_only_within_24_hours_of_the_persons_own_message()
    {
        var text = new { messaging_product = "whatsapp", to = "6281234567010", type = "text", text = new { body = "Pesanan Ibu dikirim besok." } };

        var unasked = await ReadIdAsync(await SendAsync(text));
        (await _api.PostAsJsonAsync("/_emulator/numbers/6281234567010/inbound", new { text = "Kapan dikirim?", name = "Sari" })).EnsureSuccessStatusCode();
        var answered = await ReadIdAsync(await SendAsync(text));

        await Eventually.TrueAsync(() => Task.FromResult(_inbox.Statuses(unasked).Contains("failed") && _inbox.Statuses(answered).Contains("delivered") && _inbox.Received.Any(w => w.Incoming)),
            because: "both statuses and the incoming message");
        var messages = await MessagesAsync("6281234567010");
        Assert.Equal(131047, messages.Single(m => m.Id == unasked).Statuses.Single().ErrorCode);
        using var incoming = JsonDocument.Parse(_inbox.Received.Single(w => w.Incoming).Body);
        var value = incoming.RootElement.GetProperty("entry")[0].GetProperty("changes")[0].GetProperty("value");
        Assert.Equal("Sari", value.GetProperty("contacts")[0].GetProperty("profile").GetProperty("name").GetString());
        Assert.Equal("6281234567010", value.GetProperty("messages")[0].GetProperty("from").GetString());
        Assert.Equal("Kapan dikirim?", value.GetProperty("messages")[0].GetProperty("text").GetProperty("body").GetString());
    }

    private static object TemplateSend(string to, string template, string language, params string[] parameters) => new
    {
        messaging_product = "whatsapp",
        recipient_type = "individual",
        to,
        type = "template",
        template = new
        {
            name = template,
            language = new { code = language },
            components = new[] { new { type = "body", parameters = parameters.Select(p => new { type = "text", text = p }).ToArray() } },
        },
    };

    private Task<HttpResponseMessage> SendAsync(object body) => _api.PostAsJsonAsync($"/v21.0/{PhoneNumberId}/messages", body);

    private async Task<string> SendAcceptedAsync(string to, params string[] parameters)
    {
        var response = await SendAsync(TemplateSend(to, Template, "id", parameters));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadIdAsync(response);
    }

    private static async Task<string> ReadIdAsync(HttpResponseMessage response)
    {
        using var answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        return answer.RootElement.GetProperty("messages")[0].GetProperty("id").GetString()!;
    }

    private async Task<List<MessageRecord>> MessagesAsync(string? to = null) =>
        (await _api.GetFromJsonAsync<List<MessageRecord>>("/_emulator/messages" + (to is null ? "" : $"?to={to}"), SnakeCase))!;

    /// <summary>Checks Meta's error shape and returns the <c>error</c> object.</summary>
    private static async Task<JsonElement> AssertGraphErrorAsync(HttpResponseMessage response, HttpStatusCode status, int code, string type)
    {
        Assert.Equal(status, response.StatusCode);
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        var error = body.RootElement.GetProperty("error").Clone();
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("fbtrace_id").GetString()));
        return error;
    }

    private static readonly JsonSerializerOptions SnakeCase = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private sealed record MessageRecord(string Id, string Number, string Type, string? TemplateName, string? Language, List<string> Parameters, string Text, string? Status, List<StatusRecord> Statuses);

    private sealed record StatusRecord(string Status, int? ErrorCode, string Webhook, int WebhookAttempts);

    private sealed record Webhook(byte[] Body, string? Signature, HttpStatusCode Answer, string? MessageId, string? Status, bool Incoming);

    /// <summary>The business's webhook endpoint: keeps every post, and refuses as many as it is told to.</summary>
    private sealed class WebhookInbox
    {
        private readonly ConcurrentQueue<Webhook> _received = new();
        private int _refusals;

        public IReadOnlyList<Webhook> Received => [.. _received];

        public void RefuseNext(int count) => Interlocked.Exchange(ref _refusals, count);

        /// <summary>The statuses reported for a message, in the order they were accepted (answered 200).</summary>
        public List<string> Statuses(string messageId) =>
            [.. _received.Where(w => w.MessageId == messageId && w.Answer == HttpStatusCode.OK).Select(w => w.Status!)];

        public async Task<IResult> ReceiveAsync(HttpRequest request)
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            using var payload = JsonDocument.Parse(body);
            var value = payload.RootElement.GetProperty("entry")[0].GetProperty("changes")[0].GetProperty("value");
            var incoming = value.TryGetProperty("messages", out var messages);
            var status = value.TryGetProperty("statuses", out var statuses) ? statuses[0] : default;
            var answer = Interlocked.Decrement(ref _refusals) >= 0 ? HttpStatusCode.InternalServerError : HttpStatusCode.OK;
            _received.Enqueue(new Webhook(
                body,
                request.Headers["X-Hub-Signature-256"].ToString(),
                answer,
                incoming ? messages[0].GetProperty("id").GetString() : status.GetProperty("id").GetString(),
                incoming ? "received" : status.GetProperty("status").GetString(),
                incoming));
            return Results.StatusCode((int)answer);
        }
    }
}
