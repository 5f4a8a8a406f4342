using CloudsFor.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CloudsFor.Panel.Tests.Infrastructure;

/// <summary>
/// A real server (simulated driver, fast operations) and Debian's Chromium driven by Playwright, headless. Each test
/// opens a browser context of its own (its own cookies) with <see cref="NewPage"/>, and signs in as a user of its own.
/// </summary>
public class PanelFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    // Nothing but the page under test may use the network (only loopback is allowed here), and no GPU exists.
    static readonly string[] LaunchArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
        "--disable-default-apps", "--disable-extensions", "--disable-sync", "--no-first-run", "--metrics-recording-only",
        "--no-default-browser-check", "--disable-features=Translate,MediaRouter,OptimizationHints",
    ];

    IPlaywright? playwright;

    /// <summary>The server's options: a fixture for pages that need another setting (such as image import's allowed ranges) overrides them.</summary>
    protected virtual string[] ServerSettings => SharedServer.Settings;

    public ServerProcess Server { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"{Chromium} is missing: apt-get install chromium (test.sh installs it)");
        Server = await ServerProcess.StartAsync(ServerSettings);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = LaunchArgs });
        // Waits for the page to reach a state poll until this deadline, like Poll.Until: an interval, not a speed limit.
        Assertions.SetDefaultExpectTimeout(60_000);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.CloseAsync();
        playwright?.Dispose();
        Server?.Dispose();
    }

    /// <summary>A page in a fresh context (no cookies), light or dark, phone-sized or not. The server's certificate is its own CA's.</summary>
    public async Task<IPage> NewPage(ColorScheme scheme = ColorScheme.Light, bool phone = false)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = Server.Origin,
            IgnoreHTTPSErrors = true,
            ColorScheme = scheme,
            ViewportSize = phone ? new() { Width = 390, Height = 844 } : new() { Width = 1280, Height = 800 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        return page;
    }

    /// <summary>Signs in through the form and waits for the VM list.</summary>
    public static async Task SignIn(IPage page, string username, string password)
    {
        await page.GotoAsync("/");
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "VMs", Exact = true })).ToBeVisibleAsync();
    }
}
