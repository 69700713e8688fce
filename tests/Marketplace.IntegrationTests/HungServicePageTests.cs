using System.Collections.Concurrent;
using System.Net;
using Marketplace.LocalInfrastructure;
using Marketplace.Testing;
using Marketplace.Web.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Marketplace.IntegrationTests;

/// <summary>
/// A service that takes requests and never answers (stuck on its database) does not hold a page: each read is given up
/// after its own try, tried once more, and cut off by the page's budget; the visitor gets the error page.
/// </summary>
public sealed class HungServicePageTests
{
    [Fact]
    public async Task A_page_whose_service_never_answers_cancels_its_reads_and_shows_the_error_page()
    {
        // The bounds the issue names: a page answers within 2 s, so its reads stop well before; a try is shorter still, or
        // a hung read would never be tried again.
        Assert.True(PageReadOptions.DefaultBudget < TimeSpan.FromSeconds(2));
        Assert.True(PageReadOptions.DefaultAttemptTimeout < PageReadOptions.DefaultBudget);

        var arrived = new ConcurrentDictionary<string, int>();
        var abandoned = new ConcurrentDictionary<string, int>();
        var hungPort = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{hungPort}");
        await using var hung = builder.Build();
        hung.Run(async http =>
        {
            var path = http.Request.Path.Value ?? string.Empty;
            arrived.AddOrUpdate(path, 1, (_, n) => n + 1);
            try
            {
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                abandoned.AddOrUpdate(path, 1, (_, n) => n + 1);
            }
        });
        await hung.StartAsync();

        var scope = await TestScope.CreateAsync();
        var webSettings = ServiceSettings.For(scope, TestTokens.Issuer, "web").WithProductionPageReads();
        webSettings["Services:catalog:http:0"] = $"http://127.0.0.1:{hungPort}";
        // Nothing listens here: these fail fast and are not what is tried.
        webSettings["Services:orders:http:0"] = "http://127.0.0.1:1";
        webSettings["Services:notifications:http:0"] = "http://127.0.0.1:1";
        webSettings["Services:gateway:http:0"] = "http://127.0.0.1:1";
        await using var web = new ServiceHost<Marketplace.Web.Program>(webSettings);
        var browser = web.CreateClient();
        browser.DefaultRequestHeaders.Add("Accept", "text/html");

        var page = await browser.GetAsync(new Uri("/", UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();

        Assert.True(page.StatusCode == HttpStatusCode.ServiceUnavailable,
            $"{page.StatusCode}; reads: {string.Join(", ", arrived.Select(a => $"{a.Key} x{a.Value}"))}; page: {html[..Math.Min(html.Length, 3000)]}");
        Assert.Contains("Maaf, ada gangguan", html, StringComparison.Ordinal);
        Assert.NotEmpty(arrived);
        // Each read was tried twice at most (whether the retry reached the service before the budget ran out depends on
        // the machine's speed, so it is not asserted).
        Assert.All(arrived.Values, n => Assert.InRange(n, 1, 2));
        // Every try that reached the hung service was cancelled by Web, none left waiting once the page had answered.
        await Eventually.TrueAsync(
            () => Task.FromResult(arrived.All(a => abandoned.GetValueOrDefault(a.Key) == a.Value)),
            TimeSpan.FromSeconds(10),
            "Web to cancel every read it sent");
        await hung.StopAsync();
    }
}
