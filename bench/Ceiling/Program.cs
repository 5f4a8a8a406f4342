// The machine's ceiling for the benchmark: the same pipeline settings as `cloudsfor serve`
// (src/CloudsFor/Program.cs: slim builder, content root, no configuration reloading, the same logging
// filters, HTTPS with the server's certificate, the body limit), and one endpoint that answers any
// request with fixed JSON bytes: no auth, no store, no rate limits. Kestrel's limits and the endpoint
// (connection caps, deadlines, TLS 1.2/1.3 with the server's cipher policy, HTTP/1.1 and HTTP/2) are
// the server's own code, Http/ConnectionLimits.cs, called with the server's default settings, which
// the runner starts it with; the rest of this file mirrors Program.cs. The runner sets the status and
// bytes per scenario (PUT /__body?status=N), so each figure of the API is compared with this endpoint
// returning exactly what the API returned. Keep the settings in step with the server's: a setting
// only one side has (a tracing Activity per request, say) moves every ratio.
//
// usage: ceiling HOST:PORT CERT.pem KEY.pem
using System.Net;
using System.Security.Cryptography.X509Certificates;
using CloudsFor;
using CloudsFor.Http;

if (args.Length != 3 || !IPEndPoint.TryParse(args[0], out var listen))
{
    Console.Error.WriteLine("usage: ceiling HOST:PORT CERT.pem KEY.pem");
    return 2;
}
var answer = new Answer(200, "{}"u8.ToArray());
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    ContentRootPath = AppContext.BaseDirectory,
    Args = ["--hostBuilder:reloadConfigOnChange=false"],
});
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
var certificate = X509Certificate2.CreateFromPemFile(args[1], args[2]);
var connections = new ServeOptions().Connections;
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Limits.MaxRequestBodySize = JsonBody.MaxBytes;
    ConnectionLimits.Apply(kestrel.Limits, connections);
    kestrel.Listen(listen, l => ConnectionLimits.Configure(l, certificate, connections));
});
var app = builder.Build();
app.MapPut("/__body", async (HttpRequest request, int? status) =>
{
    using var copy = new MemoryStream();
    await request.Body.CopyToAsync(copy);
    Volatile.Write(ref answer, new Answer(status ?? 200, copy.ToArray()));
    return Results.NoContent();
});
app.Map("/{**path}", async (HttpContext ctx) =>
{
    var (status, bytes) = Volatile.Read(ref answer);
    ctx.Response.StatusCode = status;
    ctx.Response.ContentType = "application/json; charset=utf-8";
    ctx.Response.ContentLength = bytes.Length;
    if (!HttpMethods.IsHead(ctx.Request.Method))
        await ctx.Response.Body.WriteAsync(bytes);
});
app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"ceiling: listening on https://{listen}"));
await app.RunAsync();
return 0;

sealed record Answer(int Status, byte[] Bytes);
