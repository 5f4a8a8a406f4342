using System.Text.Json;
using System.Text.RegularExpressions;
using CloudsFor.Api;
using CloudsFor.Compute;
using CloudsFor.Model;
using CloudsFor.Store;
using CloudsFor.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace CloudsFor.Tests.Contract;

/// <summary>
/// The OpenAPI document is written by hand, so this keeps it honest: the routes the server maps
/// and the operations the document lists must be the same set, method by method (HEAD included: every GET
/// route answers it, and the document says so operation by operation). Path variables are compared by
/// position only: their names never go on the wire, and the document may name them for generators' sake.
/// </summary>
public sealed partial class OpenApiRouteTableTests
{
    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();

    static string Normalize(string path) => Parameter().Replace(path, "{}");

    static HashSet<string> ServedOperations()
    {
        // Handlers take services as parameters; registering their types lets the route table be
        // built without guessing they are request bodies. Nothing here runs a handler.
        var builder = WebApplication.CreateSlimBuilder();
        foreach (var service in new[] { typeof(Db), typeof(Catalog), typeof(Ids), typeof(ActionIntake), typeof(VolumeIntake), typeof(SnapshotIntake), typeof(IComputeDriver), typeof(CloudsFor.Dns.Zones), typeof(CloudsFor.Dns.DnsSettings), typeof(VmDocuments), typeof(VmPages), typeof(VmPageStarts), typeof(EventHub), typeof(ImageImports), typeof(ImageImportSettings) })
            builder.Services.AddSingleton(service, _ => throw new InvalidOperationException("not used by this test"));
        builder.Services.AddSingleton(TimeProvider.System);
        var app = builder.Build();
        app.MapCloudsForApi();
        return ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .SelectMany(endpoint => endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods
                .Select(method => $"{method} {Normalize(endpoint.RoutePattern.RawText!.Substring(ApiRoutes.Prefix.Length).TrimEnd('/'))}"))
            .ToHashSet();
    }

    static HashSet<string> DocumentedOperations()
    {
        using var stream = typeof(ApiRoutes).Assembly.GetManifestResourceStream("openapi.json")!;
        using var doc = JsonDocument.Parse(stream);
        var operations = new HashSet<string>();
        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "head" or "post" or "put" or "delete" or "patch"))
                operations.Add($"{operation.Name.ToUpperInvariant()} {Normalize(path.Name)}");
        return operations;
    }

    [Fact]
    public void Every_served_route_is_documented()
    {
        var missing = ServedOperations().Except(DocumentedOperations()).Order().ToList();
        Assert.True(missing.Count == 0, "served but not in openapi.json: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_documented_operation_is_served()
    {
        var extra = DocumentedOperations().Except(ServedOperations()).Order().ToList();
        Assert.True(extra.Count == 0, "in openapi.json but not served: " + string.Join(", ", extra));
    }

    [Fact]
    public void The_route_table_is_not_empty()
    {
        Assert.Contains("GET /vms", ServedOperations());
        Assert.Contains("POST /vms/{}/actions", ServedOperations());
        Assert.Contains("HEAD /vms/{}", ServedOperations());
    }
}
