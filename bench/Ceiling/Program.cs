// The machine's ceiling for the benchmark: the same Kestrel and TLS settings as `cloudsfor serve`
// (slim builder, HTTPS with the server's certificate, 1 MiB body limit, console logging as the server
// configures it), and one endpoint that answers any request with fixed JSON bytes: no auth, no store,
// no rate limits. The runner sets the bytes per scenario (PUT /__body), so each figure of the API is
// compared with this endpoint returning exactly the bytes the API returned.
//
// usage: ceiling HOST:PORT CERT.pem KEY.pem
using System.Net;
using System.Security.Cryptography.X509Certificates;

if (args.Length != 3 || !IPEndPoint.TryParse(args[0], out var listen))
{
    Console.Error.WriteLine("usage: ceiling HOST:PORT CERT.pem KEY.pem");
    return 2;
}
var body = "{}"u8.ToArray();
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Limits.MaxRequestBodySize = 1 << 20;
    kestrel.Listen(listen, l => l.UseHttps(X509Certificate2.CreateFromPemFile(args[1], args[2])));
});
var app = builder.Build();
app.MapPut("/__body", async (HttpRequest request) =>
{
    using var copy = new MemoryStream();
    await request.Body.CopyToAsync(copy);
    Volatile.Write(ref body, copy.ToArray());
    return Results.NoContent();
});
app.Map("/{**path}", async (HttpContext ctx) =>
{
    var bytes = Volatile.Read(ref body);
    ctx.Response.ContentType = "application/json; charset=utf-8";
    ctx.Response.ContentLength = bytes.Length;
    if (!HttpMethods.IsHead(ctx.Request.Method))
        await ctx.Response.Body.WriteAsync(bytes);
});
app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"ceiling: listening on https://{listen}"));
await app.RunAsync();
return 0;
