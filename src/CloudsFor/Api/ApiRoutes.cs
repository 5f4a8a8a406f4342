using CloudsFor.Http;

namespace CloudsFor.Api;

public static class ApiRoutes
{
    public const string Prefix = "/api/v1";

    /// <summary>Every route of the API, in one list (the OpenAPI test compares it with the document).</summary>
    public static void MapCloudsForApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix);
        api.MapOpenApiDocument();
        api.MapAccountApi();
        api.MapUsersApi();
        api.MapTokensApi();
        api.MapSshKeysApi();
        api.MapSessionsApi();
        api.MapCatalogApi();
        api.MapImagesApi();
        api.MapVmsApi();
        api.MapVmActionsApi();
        api.MapActionsApi();
        api.MapDomainsApi();
        api.MapDomainRecordsApi();
        api.MapEventsApi();
        api.MapTagsApi();
        api.MapVolumesApi();
        api.MapSnapshotsApi();
    }
}
