using System.Text.Json;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Contract;

/// <summary>
/// The served OpenAPI document as a new user meets it: two linters find nothing, Kiota generates a C# client
/// without a warning and a program using only that client does the everyday steps, and openapi-typescript's types
/// compile under tsc --strict. The tools come from tools/openapi-check (npm ci and dotnet tool restore, once per run).
/// </summary>
public sealed class OpenApiGeneratorTests(SharedServer shared) : IClassFixture<SharedServer>, IDisposable
{
    readonly TempFolder work = new("cloudsfor-openapi-");

    public void Dispose() => work.Dispose();

    /// <summary>The document as served to this caller (so its server is this server), saved where the tools read it.</summary>
    async Task<string> ServedDocument()
    {
        await OpenApiTools.EnsureInstalled();
        var path = Path.Combine(work.Path, "openapi.json");
        await File.WriteAllTextAsync(path, await shared.Server.Client.GetStringAsync(shared.Server.BaseUrl + "/openapi.json"));
        return path;
    }

    [Fact]
    public async Task Redocly_recommended_rules_find_no_error_and_no_warning()
    {
        var r = await OpenApiTools.Npm("redocly", "lint", await ServedDocument(), "--config", "redocly.yaml", "--format", "json");
        var totals = JsonDocument.Parse(r.Stdout).RootElement.GetProperty("totals");
        Assert.True(totals.GetProperty("errors").GetInt32() == 0 && totals.GetProperty("warnings").GetInt32() == 0, r.Stdout);
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public async Task Spectral_oas_rules_find_no_problem()
    {
        // Spectral follows its JSON with a sentence on stdout, so the JSON goes to a file of its own.
        var report = Path.Combine(work.Path, "spectral.json");
        var r = await OpenApiTools.Npm("spectral", "lint", await ServedDocument(), "--ruleset", ".spectral.yaml", "--format", "json", "--output", report, "--fail-severity", "hint");
        var problems = JsonDocument.Parse(await File.ReadAllTextAsync(report)).RootElement.EnumerateArray()
            .Select(p => $"{p.GetProperty("code")} at {string.Join('.', p.GetProperty("path").EnumerateArray())}: {p.GetProperty("message")}").ToList();
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Fact]
    public async Task Kiota_generates_a_csharp_client_without_a_warning_and_with_this_servers_url()
    {
        var r = await GenerateKiotaClient(await ServedDocument(), Path.Combine(work.Path, "Generated"));
        var noise = (r.Stdout + r.Stderr).Split('\n').Where(l => l.StartsWith("warn:") || l.StartsWith("fail:") || l.StartsWith("crit:")).ToList();
        Assert.True(r.ExitCode == 0 && noise.Count == 0, r.ToString());
        Assert.Contains($"Client base url set to {shared.Server.BaseUrl}", r.Stdout);
    }

    [Fact]
    public async Task A_program_using_only_the_kiota_client_creates_waits_reads_powers_off_pages_manages_records_and_reads_errors()
    {
        var probe = Path.Combine(work.Path, "KiotaProbe");
        Directory.CreateDirectory(probe);
        foreach (var file in Directory.GetFiles(Path.Combine(OpenApiTools.ProbeFolder, "KiotaProbe")))
            File.Copy(file, Path.Combine(probe, Path.GetFileName(file)));
        var generated = await GenerateKiotaClient(await ServedDocument(), Path.Combine(probe, "Generated"));
        Assert.True(generated.ExitCode == 0, generated.ToString());
        var build = await OpenApiTools.Run(TimeSpan.FromMinutes(5), probe, "dotnet", ["build", "-c", "Release", "--disable-build-servers"]);
        Assert.True(build.ExitCode == 0, "the probe does not build against the generated client: " + build);

        var user = await TestAccounts.Create(shared.Server);
        var (_, token) = await TestAccounts.CreateToken(user.Api, ["read", "write"]);
        var domain = TestAccounts.UniqueName("probe") + ".example";
        var run = await OpenApiTools.Run(TimeSpan.FromMinutes(3), probe, "dotnet",
            ["bin/Release/net10.0/KiotaProbe.dll", Path.Combine(shared.Server.DataDir, "tls", "ca.pem"), token, domain]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^created vm [0-9a-f]{32} status New$", lines[0]);
        Assert.Equal(
            ["create action Completed", "timestamps read: created_at started_at completed_at expires_at", "powered off", "nullable ids read: vm_id",
             "paged 3 vms", "domain records managed with the name filter", "typed error: 404 not_found", "typed error: 422 unprocessable_entity on size"],
            lines[1..]);
    }

    [Fact]
    public async Task Openapi_typescript_types_compile_under_tsc_strict()
    {
        var folder = Path.Combine(work.Path, "ts");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(OpenApiTools.ProbeFolder, "TypeScript", "usage.ts"), Path.Combine(folder, "usage.ts"));
        var generate = await OpenApiTools.Npm("openapi-typescript", await ServedDocument(), "--output", Path.Combine(folder, "schema.d.ts"));
        Assert.True(generate.ExitCode == 0, generate.ToString());
        var tsc = await OpenApiTools.Npm("tsc", "--strict", "--noEmit", "--target", "es2022", "--module", "nodenext", Path.Combine(folder, "usage.ts"));
        Assert.True(tsc.ExitCode == 0, tsc.ToString());
    }

    // Backward-compatible members are for clients generated before; a new client wants only the typed ones.
    static Task<ToolResult> GenerateKiotaClient(string document, string output) =>
        OpenApiTools.Kiota("generate", "--language", "CSharp", "--openapi", document, "--output", output,
            "--class-name", "CloudsForClient", "--namespace-name", "CloudsFor.Generated", "--exclude-backward-compatible", "--log-level", "Warning");
}
