using Marketplace.ServiceDefaults.Telemetry;

namespace Marketplace.Gateway.Telemetry;

/// <summary>
/// Counts the webhook deliveries (Stripe's payments, Meta's delivery reports) the marketplace answered with an error,
/// whether the Gateway refused them (rate limits, size) or the service behind it did (a bad signature, a failure):
/// the sender retries for a while, so only a metric and its alert show that payments stopped arriving.
/// </summary>
internal static class WebhookFailureCounting
{
    public static IApplicationBuilder UseWebhookFailureCounting(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!context.Request.Path.StartsWithSegments("/webhooks", StringComparison.OrdinalIgnoreCase, out var rest))
        {
            await next(context);
            return;
        }

        var failed = true;
        try
        {
            await next(context);
            failed = context.Response.StatusCode >= 400;
        }
        finally
        {
            if (failed)
            {
                // The tag is the webhook's name from our own route table, never the raw path: a scanner's paths would
                // otherwise each make a new time series.
                var name = rest.Value?.Trim('/') switch
                {
                    "stripe" => "stripe",
                    "whatsapp" => "whatsapp",
                    _ => "other",
                };
                MarketplaceMeters.WebhookFailures.Add(1,
                    new KeyValuePair<string, object?>("marketplace.webhook", name),
                    new KeyValuePair<string, object?>("http.response.status_code", context.Response.StatusCode));
            }
        }
    });
}
