using Deque.AxeCore.Commons;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using Microsoft.Playwright;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// The whole marketplace on real ports (Gateway, Web, Catalog, Orders, the Stripe emulator, one PostgreSQL and
/// RabbitMQ) and Debian's Chromium driven by Playwright. One cooperative with two admins and two members, each
/// member selling one product; everything set up through the Gateway with real accounts.
/// </summary>
public sealed class StorefrontStack : IAsyncLifetime
{
    public const string Password = "kata-sandi-anggota";

    private readonly SemaphoreSlim _clerksInvited = new(1, 1);
    private readonly HashSet<string> _clerks = new(StringComparer.Ordinal);

    private IPlaywright? _playwright;

    private readonly List<IPage> _pages = [];

    // Loopback is the ingress in front of this Gateway: a page may name its shopper's address in X-Forwarded-For, as the
    // ingress would (NewPhoneAsync's clientAddress). Pages that name none are all this machine's one address.
    public GatewayStack Stack { get; } = new() { WithStorefront = true, WithDeadLetterIntake = true, GatewayOverrides = { ["Gateway:TrustedProxies:0"] = "127.0.0.0/8" } };

    public IBrowser Chromium { get; private set; } = null!;

    public Uri Address => Stack.GatewayAddress;

    public Guid CooperativeId { get; private set; }

    // Letters only, so that a name is unique among the test's products whatever the search does with digits.
    public string Slug { get; } = "binor-" + Letters(6);

    public static string Letters(int count) => string.Concat(Guid.NewGuid().ToByteArray().Take(count).Select(b => (char)('a' + (b % 26))));

    public string AdminLogin => $"ketua@{Slug}.test";

    public string SecondAdminLogin => $"wakil@{Slug}.test";

    public string MemberLogin => $"siti@{Slug}.test";

    public Browser Admin { get; private set; } = null!;

    /// <summary>The cooperative's connected account at the Stripe emulator, made by its onboarding.</summary>
    public string StripeAccount { get; private set; } = string.Empty;

    public Browser Member { get; private set; } = null!;

    public Guid MemberId { get; private set; }

    public (Guid Id, string Name) FishCrackers { get; private set; }

    public (Guid Id, string Name) PandanBag { get; private set; }

    /// <summary>Where screenshots go: kept with the run's test results.</summary>
    public static string Artifacts { get; } = Path.Combine(RepositoryRoot(), "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        await Stack.InitializeAsync();
        Directory.CreateDirectory(Artifacts);
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });

        using var platform = await Stack.SignedInPlatformAdminAsync();
        var party = await Stack.CooperativeWithAdminAndMemberAsync(platform, Slug);
        CooperativeId = party.Cooperative.Id;
        Admin = party.Admin;
        Member = party.Member;
        MemberId = party.MemberId;
        var secondAdminCode = await GatewayStack.InviteAsync(platform, CooperativeId, "Admin", "Bu Wakil");
        (await Stack.JoinAsync(secondAdminCode, "Bu Wakil", SecondAdminLogin)).Browser.Dispose();
        var secondMemberCode = await GatewayStack.InviteAsync(Admin, CooperativeId, "Member", "Bu Ani");
        var (secondMember, secondAccount) = await Stack.JoinAsync(secondMemberCode, "Bu Ani", $"ani@{Slug}.test");
        var secondMemberId = secondAccount.GetProperty("memberId").GetGuid();
        await Eventually.TrueAsync(
            async () => (await Admin.Http.GetAsync(new Uri($"/api/catalog/members/{secondMemberId}", UriKind.Relative))).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30),
            "Catalog to learn of the second member");

        // Open every day all day, so a test may pick up today or tomorrow whatever the hour.
        var hours = Enum.GetValues<DayOfWeek>().Select(d => new { day = (int)d, opens = "00:00:00", closes = "23:59:00" }).ToArray();
        Ok(await Admin.Http.PutAsJsonAsync($"/api/catalog/cooperatives/{CooperativeId}/profile",
            new { story = "Koperasi wanita nelayan Pantai Binor.", kioskLocation = "Pantai Binor, Probolinggo", whatsApp = "081234567890", kioskOpeningHours = hours }));

        FishCrackers = await PublishAsync(Member, "kerupuk", $"Kerupuk Ikan Tengiri {Slug}", 25_000);
        PandanBag = await PublishAsync(secondMember, "kerajinan", $"Tas Pandan {Slug}", 40_000);
        secondMember.Dispose();

        // Through Stripe's onboarding on the emulator, as an admin connects a cooperative.
        StripeAccount = await StripeOnboardingSteps.ConnectAsync(Admin.Http, CooperativeId);
        Ok(await Admin.Http.PutAsJsonAsync($"/api/orders/merchants/{CooperativeId}/shipping-rates",
            new { rates = new[] { new { zone = "jawa", upToGrams = 5000, priceRupiah = 18_000 } } }));
        // Every browser test orders from this machine's one address, many with the same number: the caps on open unpaid
        // kiosk orders are the hold tests' to try (HoldLimitTests), not these.
        Ok(await Admin.Http.PutAsJsonAsync($"/api/orders/merchants/{CooperativeId}/kiosk-hold-settings",
            new { pickupDaysAhead = 3, maxOpenPerPhone = 100, maxOpenPerClient = 1000, maxSharePercent = 100 }));
        foreach (var (productId, _) in new[] { FishCrackers, PandanBag })
        {
            await KnownToOrdersAsync(productId);
        }
    }

    /// <summary>
    /// Waits until Orders sells the product: a throwaway guest puts one in her own basket. (Removing a line, quantity 0,
    /// succeeds before Orders has heard of the product, so it proves nothing.)
    /// </summary>
    public async Task KnownToOrdersAsync(Guid productId)
    {
        using var probe = Stack.NewBrowser();
        var product = await probe.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{productId}");
        var variant = product.GetProperty("variants")[0].GetProperty("id").GetGuid();
        await Eventually.TrueAsync(
            async () => (await probe.Http.PutAsJsonAsync($"/api/orders/baskets/{CooperativeId}/lines/{variant}", new { productId, quantity = 1 })).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30),
            "Orders to learn of the product");
    }

    /// <summary>A member's product, submitted by her and approved by the admin, through the Gateway's APIs.</summary>
    public async Task<(Guid Id, string Name)> PublishAsync(Browser member, string category, string name, long price)
    {
        var created = await member.Http.PostAsJsonAsync("/api/catalog/products", new
        {
            category,
            listing = new
            {
                nameId = name,
                nameEn = name.Replace("Kerupuk Ikan", "Fish crackers", StringComparison.Ordinal),
                descriptionId = "Dibuat dari ikan segar hasil tangkapan nelayan Pantai Binor, dikemas rapat.",
                descriptionEn = "Made from fresh fish caught by Pantai Binor's fishermen, tightly packed.",
                packagingType = "Plastik klip",
                netContent = "250 g",
                shelfLifeDays = 180,
                pirtNumber = category == "kerupuk" ? "2350101012345-29" : null,
                pirtValidUntil = category == "kerupuk" ? "2029-12-31" : null,
                halalCertificateNumber = category == "kerupuk" ? "ID35110000123450923" : null,
                halalValidUntil = category == "kerupuk" ? "2029-12-31" : null,
            },
            variants = new[] { new { sku = "SKU-" + Guid.NewGuid().ToString("N")[..8], label = "250 g", priceRupiah = price, weightGrams = 300 } },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var product = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = product.GetProperty("id").GetGuid();
        // Fifty on the shelf, brought to the kiosk and received there: the only way stock rises.
        await KioskDeliveries.BringAsync(member.Http, Admin.Http, (product.GetProperty("variants")[0].GetProperty("id").GetGuid(), 50));
        Ok(await member.Http.PostAsync(new Uri($"/api/catalog/products/{id}/submit", UriKind.Relative), null));
        Ok(await Admin.Http.PostAsync(new Uri($"/api/catalog/products/{id}/approve", UriKind.Relative), null));
        return (id, name);
    }

    /// <summary>A phone at the beach: small screen, touch, Indonesian; from <paramref name="clientAddress"/> when given.</summary>
    public async Task<IPage> NewPhoneAsync(string? clientAddress = null)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            ExtraHTTPHeaders = clientAddress is null ? null : new Dictionary<string, string> { ["X-Forwarded-For"] = clientAddress },
            BaseURL = Address.ToString(),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
            Locale = "id-ID",
            AcceptDownloads = true,
        });
        return await TrackedPageAsync(context);
    }

    /// <summary>A phone whose browser runs no script at all: the pages must work as plain HTML forms.</summary>
    public async Task<IPage> NewPhoneWithoutScriptAsync()
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address.ToString(),
            JavaScriptEnabled = false,
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        });
        return await TrackedPageAsync(context);
    }

    /// <summary>The context's page, kept for a failure's pictures and closed when its test ends.</summary>
    private async Task<IPage> TrackedPageAsync(IBrowserContext context)
    {
        // The suite runs three test assemblies at once on two cores: generous waits, never fixed sleeps.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        lock (_pages)
        {
            _pages.Add(page);
        }

        return page;
    }

    public int PagesOpened
    {
        get
        {
            lock (_pages)
            {
                return _pages.Count;
            }
        }
    }

    /// <summary>
    /// After a failure: every open page as it was, picture and HTML, to see what the browser saw. Returns where each page
    /// was and the notices and field errors it showed, for the failure's message (the files stay on the machine that ran it).
    /// </summary>
    public async Task<string> CaptureFailureAsync(string test, int firstPage)
    {
        var seen = new System.Text.StringBuilder();
        IPage[] pages;
        lock (_pages)
        {
            pages = [.. _pages];
        }

        for (var i = firstPage; i < pages.Length; i++)
        {
            if (pages[i].IsClosed)
            {
                continue;
            }

            var name = $"FAILED-{test}-{i}";
            await ScreenshotAsync(pages[i], name);
            await File.WriteAllTextAsync(Path.Combine(Artifacts, name + ".html"), $"<!-- {pages[i].Url} -->\n" + await pages[i].ContentAsync());
            var said = await pages[i].Locator(".alert, .field-error").AllInnerTextsAsync();
            seen.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"page {i}: {pages[i].Url} said: {string.Join(" | ", said)}");
        }

        return seen.ToString();
    }

    /// <summary>
    /// The shopper's page has arrived in her basket after "add to basket". The address is polled rather than waited for
    /// with WaitForURL, which twice waited a full minute for a load it had already seen, the basket plainly on the screen.
    /// </summary>
    public static Task InBasketAsync(IPage page) =>
        Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/keranjang\?notice=added$"), new PageAssertionsToHaveURLOptions { Timeout = 60_000 });

    /// <summary>A browser signed in through the sign-in page's own form.</summary>
    public async Task<IPage> SignedInAsync(string login)
    {
        var page = await NewPhoneAsync();
        await page.GotoAsync("/masuk");
        await page.FillAsync("#login", login);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("form.stacked button[type=submit]");
        await OnAccountPageAsync(page);
        return page;
    }

    /// <summary>
    /// A kiosk clerk of the shared cooperative, signed in on her phone through the sign-in page: she lands on the till.
    /// The admin invites her once per stack (<paramref name="name"/>, signing in as <c>login@slug.test</c> with
    /// <see cref="Password"/>); the address is polled, as after any sign-in.
    /// </summary>
    public async Task<IPage> ClerkSignedInAsync(string name, string login)
    {
        var page = await NewPhoneAsync();
        await page.GotoAsync("/masuk");
        await page.FillAsync("#login", await ClerkLoginAsync(name, login));
        await page.FillAsync("#password", Password);
        await page.ClickAsync("form.stacked button[type=submit]");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/kasir$"), new PageAssertionsToHaveURLOptions { Timeout = 60_000 });
        return page;
    }

    /// <summary>The clerk's sign-in, her invitation accepted the first time she is asked for.</summary>
    public async Task<string> ClerkLoginAsync(string name, string login)
    {
        var address = $"{login}@{Slug}.test";
        await _clerksInvited.WaitAsync();
        try
        {
            if (_clerks.Add(address))
            {
                var code = await GatewayStack.InviteAsync(Admin, CooperativeId, "clerk", name);
                (await Stack.JoinAsync(code, name, address, Password)).Browser.Dispose();
            }
        }
        finally
        {
            _clerksInvited.Release();
        }

        return address;
    }

    /// <summary>
    /// The page has arrived on her account page after signing in. Polled, as in <see cref="InBasketAsync"/>: WaitForURL
    /// once waited a full minute for the load of the account page already on the screen.
    /// </summary>
    public static Task OnAccountPageAsync(IPage page) =>
        Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/akun$"), new PageAssertionsToHaveURLOptions { Timeout = 60_000 });

    /// <summary>
    /// The page has arrived at an address matching <paramref name="glob"/>, or passed through one (a page that moves on
    /// by itself, as an order page does to Stripe's), and the document it is on is complete, so that what is checked
    /// next (a count of 0 too) is checked on the new page. Waited for from the navigation's commit, then by asking the
    /// document itself every 100 ms whether it is parsed: a wait for a load event (the load, and once DOMContentLoaded)
    /// more than once took a full minute for a page already on the screen. Playwright's own URL wait is not used when the
    /// page is there already: it then waits for the load event whatever it was asked (a page rendered and on the screen,
    /// back from Stripe's pages, failed so).
    /// </summary>
    public static async Task ArrivedAtAsync(IPage page, string glob, float timeout = 60_000)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (!GlobMatches(glob, page.Url))
        {
            await page.WaitForURLAsync(glob, new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = timeout });
        }

        await page.WaitForFunctionAsync("() => document.readyState !== 'loading'", null, new PageWaitForFunctionOptions { PollingInterval = 100, Timeout = timeout });
    }

    /// <summary>Playwright's globs as these tests write them: <c>**</c> any characters, <c>*</c> any but a slash, the rest literal.</summary>
    private static bool GlobMatches(string glob, string url)
    {
        var pattern = System.Text.RegularExpressions.Regex.Escape(glob)
            .Replace(@"\*\*", "\u0000", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace("\u0000", ".*", StringComparison.Ordinal);
        return System.Text.RegularExpressions.Regex.IsMatch(url, "^" + pattern + "$");
    }

    /// <summary>Runs a browser test; when it fails, keeps a picture and the HTML of every page it opened.</summary>
    public async Task CapturingFailureAsync(Func<Task> test, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        ArgumentNullException.ThrowIfNull(test);
        var firstPage = PagesOpened;
        try
        {
            await test();
        }
        catch (Exception failure)
        {
            var seen = await CaptureFailureAsync(name, firstPage);
            throw new Xunit.Sdk.XunitException($"{failure.Message}\nThe browser's pages when it failed:\n{seen}", failure);
        }
        finally
        {
            await ClosePagesFromAsync(firstPage);
        }
    }

    /// <summary>
    /// Closes the tabs a test opened once it is over. Left open, every page kept its Blazor circuit, its WebSocket's
    /// pings and its renderer process: by the end of the suite some eighty renderers, and Chromium's own process used
    /// more of the two cores than the whole marketplace under test.
    /// </summary>
    private async Task ClosePagesFromAsync(int firstPage)
    {
        IBrowserContext[] contexts;
        lock (_pages)
        {
            contexts = [.. _pages.Skip(firstPage).Select(p => p.Context).Distinct()];
        }

        foreach (var context in contexts)
        {
            try
            {
                await context.CloseAsync();
            }
            catch (PlaywrightException)
            {
                // Already gone with the browser: nothing left to close.
            }
        }
    }

    /// <summary>axe-core's own script, as Deque's package bundles it.</summary>
    private static readonly Lazy<string> AxeScript = new(() => new BundledAxeScriptProvider().GetScript());

    /// <summary>Saves the page's screenshot, then fails on any serious or critical accessibility violation axe-core finds.</summary>
    /// <remarks>
    /// axe runs in the page itself, every rule as before. Deque's <c>RunAxe</c> also opened a blank page of its own for
    /// every check, to merge the results of a page's frames (these pages have none), and loaded axe into it a second
    /// time: about 4.5 s of Chromium's CPU per check against 1.5, some 150 checks a run on a suite bound by two cores.
    /// </remarks>
    public static async Task AccessibleAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        await ScreenshotAsync(page, name);
        // Evaluated through the browser's debugging protocol, so the page's Content-Security-Policy does not apply. Once per
        // document: a link followed through Blazor's enhanced navigation keeps the document, and axe with it.
        if (!await page.EvaluateAsync<bool>("() => typeof axe !== 'undefined'"))
        {
            await page.EvaluateAsync(AxeScript.Value);
        }

        var serious = await page.EvaluateAsync<string[]>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)
            """);
        Assert.True(serious.Length == 0, $"{name} ({page.Url}): " + string.Join("; ", serious));
    }

    /// <summary>
    /// The page fits a phone held upright (390 px): nothing makes the whole page scroll sideways, and no table's box
    /// needs scrolling sideways either (on a phone a wide table's rows are cards). On failure the message names the
    /// tables, or the elements that reach past the edge.
    /// </summary>
    public static async Task FitsThePhoneAsync(IPage page, string what)
    {
        ArgumentNullException.ThrowIfNull(page);
        // A page's text can be there before its stylesheet is (a form posted without enhanced navigation loads a new
        // document, and its DOM is ready first): measured then, the unstyled page was 456 px wide on a busy machine.
        await page.WaitForLoadStateAsync(LoadState.Load);
        var scrollingTables = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('.table-scroll')].filter(e => e.scrollWidth > e.clientWidth + 1).map(e => `${e.getAttribute('aria-label')} (${e.scrollWidth} px)`)");
        Assert.True(scrollingTables.Length == 0, $"{what} ({page.Url}): these tables scroll sideways on a phone: {string.Join(", ", scrollingTables)}");
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        if (width <= 390)
        {
            return;
        }

        var culprits = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('body *')]
                .filter(e => !e.closest('.table-scroll') && (e.getBoundingClientRect().right > 391
                    || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible' && e.getBoundingClientRect().left + e.scrollWidth > 391)))
                .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > 391))
                .slice(0, 5)
                .map(e => `${e.tagName.toLowerCase()}${e.className ? '.' + e.className : ''} (${Math.round(e.getBoundingClientRect().right)} px): ${(e.textContent || '').trim().slice(0, 60)}`)
            """);
        Assert.Fail($"{what} ({page.Url}) is {width} px wide, not 390: {string.Join("; ", culprits)}");
    }

    /// <summary>Tomorrow at the beach (the default cooperative zone), as a date field takes it.</summary>
    public static string Tomorrow() =>
        Marketplace.ServiceDefaults.Formatting.LocalTime.Today(DateTimeOffset.UtcNow).AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        Member?.Dispose();
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }

        _playwright?.Dispose();
        await Stack.DisposeAsync();
    }

    private static void Ok(HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {response.Content.ReadAsStringAsync().Result}");

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Marketplace.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? Path.GetTempPath();
    }
}
