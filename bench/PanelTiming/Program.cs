using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

// panel-timing ORIGIN USERNAME PASSWORD ROWS [RUNS]: the panel's time to first screen, measured inside Chromium.
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: panel-timing ORIGIN USERNAME PASSWORD ROWS [RUNS]");
    return 2;
}
var (origin, username, password, rows) = (args[0], args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture));
var runs = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 10;
var marks = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Marks.js"));

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = "/usr/bin/chromium", Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
        "--disable-default-apps", "--disable-extensions", "--disable-sync", "--no-first-run", "--no-default-browser-check",
        "--disable-features=Translate,MediaRouter,OptimizationHints"],
});

var figures = new Dictionary<string, List<double>>();
void Add(string name, double value) => (figures.TryGetValue(name, out var list) ? list : figures[name] = []).Add(value);

for (var run = 0; run <= runs; run++)
{
    // A fresh context: no cache, no cookies, as a first visit.
    await using var context = await browser.NewContextAsync(new() { BaseURL = origin, IgnoreHTTPSErrors = true, ViewportSize = new() { Width = 1280, Height = 800 } });
    await context.AddInitScriptAsync($"window.__rows = {rows};\n" + marks);
    var page = await context.NewPageAsync();

    await page.GotoAsync("/", new() { WaitUntil = WaitUntilState.Load });
    var form = await Mark(page, "form");
    var cold = await page.EvaluateAsync<double[]>(
        "() => { const e = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];" +
        " return [e.reduce((s, x) => s + x.transferSize, 0), e.reduce((s, x) => s + x.encodedBodySize, 0), e.reduce((s, x) => s + x.decodedBodySize, 0), e.length]; }");

    await page.GetByLabel("Username").FillAsync(username);
    await page.GetByLabel("Password").FillAsync(password);
    await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    var signedIn = await Mark(page, "rows") - await page.EvaluateAsync<double>("() => window.__marks.click");

    await page.GotoAsync("/vms");
    await Mark(page, "rowsOnLoad");
    await page.ReloadAsync();
    var warm = await Mark(page, "rowsOnLoad");

    // The first run warms the server (JIT, the panel's compressed files) and is not counted.
    if (run == 0)
        continue;
    Add("cold load of / until the sign-in form is usable (ms)", form);
    Add("Sign in clicked until the VM list's rows are painted (ms)", signedIn);
    Add("warm reload of /vms until the rows are painted (ms)", warm);
    Add("cold load: bytes transferred (headers + compressed bodies)", cold[0]);
    Add("cold load: compressed body bytes", cold[1]);
    Add("cold load: uncompressed body bytes", cold[2]);
    Add("cold load: requests", cold[3]);
}

Console.WriteLine($"{runs} runs, each in a fresh browser context, after one uncounted warm-up run; {rows} VM rows; {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
Console.WriteLine();
Console.WriteLine("| figure | median | p90 |");
Console.WriteLine("|---|---|---|");
foreach (var (name, values) in figures)
    Console.WriteLine($"| {name} | {Format(Percentile(values, 0.5))} | {Format(Percentile(values, 0.9))} |");
return 0;

// Waits for a milestone of Marks.js and returns its time (ms since the document's navigation started).
static async Task<double> Mark(IPage page, string name)
{
    await page.WaitForFunctionAsync($"() => window.__marks && window.__marks['{name}'] > 0", null, new() { Timeout = 60_000 });
    return await page.EvaluateAsync<double>($"() => window.__marks['{name}']");
}

// Nearest rank: the smallest value with at least p of the values at or below it.
static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

static string Format(double value) => value >= 1000 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.#", CultureInfo.InvariantCulture);
