using System.Net;

namespace CloudsFor.Work;

/// <summary>How large a custom image may be, and which otherwise refused address ranges an import may download from.</summary>
public sealed record ImageImportSettings(long MaxBytes, IReadOnlyList<IPNetwork> Allow)
{
    /// <summary>DATA/images: one folder per custom image, named by its id.</summary>
    public string Folder { get; init; } = "images";
}

/// <summary>Why a custom image was not accepted; its message becomes the image's error_message.</summary>
public sealed class ImportFailed(string message) : Exception(message);
