using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Marketplace.Notifications.WhatsApp;

/// <summary>What the Cloud API said to a send: the message's id, or why not and whether trying again could help.</summary>
public sealed record WhatsAppSendResult(string? MessageId, string? Error, bool Final)
{
    public bool Accepted => MessageId is not null;
}

/// <summary>
/// Sends template messages through the WhatsApp Business Cloud API (<c>POST /{version}/{phone-number-id}/messages</c>).
/// A send is never retried here: the API has no idempotency key, so a retry after a lost answer could send twice;
/// the dispatcher decides when to try again.
/// </summary>
public sealed class WhatsAppCloudClient(HttpClient http, IOptions<WhatsAppOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public async Task<WhatsAppSendResult> SendTemplateAsync(string toE164, string template, string language, IReadOnlyList<string> parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(toE164);
        ArgumentNullException.ThrowIfNull(parameters);
        var settings = options.Value;
        var body = new SendRequest(
            "whatsapp",
            "individual",
            toE164.TrimStart('+'),
            "template",
            new TemplateBody(template, new LanguageBody(language),
                parameters.Count == 0 ? null : [new ComponentBody("body", parameters.Select(p => new ParameterBody("text", p)).ToList())]));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.ApiBase, $"/{settings.ApiVersion}/{settings.PhoneNumberId}/messages"))
        {
            Content = JsonContent.Create(body, options: Json),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.AccessToken);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            return new WhatsAppSendResult(null, $"WhatsApp could not be reached: {ex.Message}", Final: false);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WhatsAppSendResult(null, "WhatsApp did not answer in time.", Final: false);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                var sent = await response.Content.ReadFromJsonAsync<SendResponse>(Json, cancellationToken);
                return sent?.Messages is [{ Id: { } id }, ..]
                    ? new WhatsAppSendResult(id, null, Final: false)
                    : new WhatsAppSendResult(null, "WhatsApp's answer named no message.", Final: false);
            }

            var error = await ReadErrorAsync(response, cancellationToken);
            // Throttling and the API's own failures pass; a request it refuses (template, number, token) stays refused.
            var final = response.StatusCode is not (HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError);
            return new WhatsAppSendResult(null, error, final);
        }
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var failure = await response.Content.ReadFromJsonAsync<ErrorResponse>(Json, cancellationToken);
            if (failure?.Error is { } error)
            {
                // Error 100 is any malformed parameter; the details say which, but may quote the number, which is
                // kept out of the record: only that it was the recipient's is noted, so the log can say so in words.
                var recipient = error.Code == 100 && error.ErrorData?.Details?.StartsWith("Param to ", StringComparison.Ordinal) == true
                    ? " (recipient number)"
                    : string.Empty;
                return $"WhatsApp {(int)response.StatusCode}, code {error.Code}: {error.Message}{recipient}";
            }
        }
        catch (JsonException)
        {
        }

        return $"WhatsApp {(int)response.StatusCode}.";
    }

    private sealed record SendRequest(
        [property: JsonPropertyName("messaging_product")] string MessagingProduct,
        [property: JsonPropertyName("recipient_type")] string RecipientType,
        string To,
        string Type,
        TemplateBody Template);

    private sealed record TemplateBody(string Name, LanguageBody Language, IReadOnlyList<ComponentBody>? Components);

    private sealed record LanguageBody(string Code);

    private sealed record ComponentBody(string Type, IReadOnlyList<ParameterBody> Parameters);

    private sealed record ParameterBody(string Type, string Text);

    private sealed record SendResponse(IReadOnlyList<SentMessage>? Messages);

    private sealed record SentMessage(string? Id);

    private sealed record ErrorResponse(ErrorBody? Error);

    private sealed record ErrorBody(string? Message, int Code, [property: JsonPropertyName("error_data")] ErrorData? ErrorData);

    private sealed record ErrorData(string? Details);
}
