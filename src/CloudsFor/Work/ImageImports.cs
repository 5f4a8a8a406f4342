using System.Collections.Concurrent;
using System.Data.Common;
using CloudsFor.Api;
using CloudsFor.Compute.Qemu;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Work;

/// <summary>
/// Brings custom images in. The bytes go to DATA/images/ID/incoming (streamed, never held in memory, capped),
/// are renamed "received" once complete, checked (<see cref="ImageCheck"/>) and converted to disk.qcow2; then
/// the image is available, or errored with the reason. The store's row (status new, with its URL) is the job:
/// at every start, imports from a URL begin again and received files are checked again, so an accepted image
/// is never lost to a restart. An upload that a restart cut off waits for its bytes again.
/// </summary>
public sealed class ImageImports(Db db, Catalog catalog, ImageImportSettings settings, TimeProvider time, ILogger<ImageImports> log) : IHostedService
{
    sealed class Progress
    {
        public long Done;
        public long? Total;
    }

    readonly ConcurrentDictionary<string, Progress> busy = new();
    readonly CancellationTokenSource stopping = new();

    public ImportProgress? ProgressOf(string imageId) =>
        busy.TryGetValue(imageId, out var p) ? new ImportProgress(Interlocked.Read(ref p.Done), p.Total) : null;

    public async Task StartAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(settings.Folder);
        var known = await db.Read(ImagesSql.CustomIds);
        foreach (var dir in Directory.GetDirectories(settings.Folder).Where(d => !known.Contains(Path.GetFileName(d))))
            Directory.Delete(dir, recursive: true);
        foreach (var image in await db.Read(c => ImagesSql.Pending(c)))
            if (File.Exists(Received(image.Id)) || image.SourceUrl is not null)
                Start(image);
    }

    public Task StopAsync(CancellationToken ct)
    {
        stopping.Cancel();
        return Task.CompletedTask;
    }

    /// <summary>Downloads (or checks what was received) in the background; nothing when already under way.</summary>
    public void Start(ImageRow image)
    {
        if (busy.TryAdd(image.Id, new Progress()))
            _ = Task.Run(() => Run(image, stopping.Token));
    }

    /// <summary>Receives an upload's bytes, then checks them in the background; false when this image already receives some.</summary>
    public async Task<bool> Upload(ImageRow image, Stream body, long? length, CancellationToken ct)
    {
        if (!busy.TryAdd(image.Id, new Progress { Total = length }))
            return false;
        try
        {
            await Receive(image.Id, body, length, ct);
        }
        catch (ImportFailed e)
        {
            await Finish(image, e.Message);
            busy.TryRemove(image.Id, out _);
            throw;
        }
        catch
        {
            busy.TryRemove(image.Id, out _);
            throw;
        }
        _ = Task.Run(() => Run(image, stopping.Token));
        return true;
    }

    async Task Run(ImageRow image, CancellationToken ct)
    {
        try
        {
            if (!File.Exists(Received(image.Id)))
                await Download(image, ct);
            var disk = Path.Combine(Folder(image.Id), "disk.qcow2");
            var file = await ImageCheck.Inspect(Received(image.Id), catalog.Sizes.Max(s => (long)s.Disk) << 30, ct);
            // A fresh qcow2 written by qemu-img itself from the format just checked: nothing of the original's headers remains.
            await HostTools.Run("qemu-img", ["convert", "-f", file.Format, "-O", "qcow2", Received(image.Id), disk + ".tmp"], ct, TimeSpan.FromHours(2));
            File.Move(disk + ".tmp", disk, overwrite: true);
            File.Delete(Received(image.Id));
            image.MinDiskSize = (int)Math.Max(1, (file.VirtualSize + (1L << 30) - 1) >> 30);
            image.SizeGigabytes = Math.Round(new FileInfo(disk).Length / (double)(1L << 30), 2);
            await Finish(image, null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The server stops: the row stays new and the next start takes it up again.
        }
        catch (Exception e) when (e is ImportFailed or HttpRequestException or IOException or Compute.DriverException)
        {
            await Finish(image, e switch
            {
                HttpRequestException h => ImportGuard.Describe(h),
                ImportFailed => e.Message,
                _ => $"the image could not be stored: {e.Message}",
            });
        }
        catch (Exception e)
        {
            log.LogError(e, "import of image {ImageId} failed", image.Id);
            await Finish(image, "the import failed on the server; try again");
        }
        finally
        {
            busy.TryRemove(image.Id, out _);
        }
    }

    async Task Download(ImageRow image, CancellationToken ct)
    {
        using var client = ImportGuard.Client(settings);
        using var response = await client.GetAsync(image.SourceUrl, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
            throw new ImportFailed($"the server answered {(int)response.StatusCode} {response.ReasonPhrase} for {response.RequestMessage?.RequestUri ?? new Uri(image.SourceUrl!)}");
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await Receive(image.Id, body, response.Content.Headers.ContentLength, ct);
    }

    /// <summary>Streams the bytes to a file of the image's folder, counting them against the cap; a partial file never counts as received.</summary>
    async Task Receive(string imageId, Stream body, long? length, CancellationToken ct)
    {
        if (length > settings.MaxBytes)
            throw new ImportFailed(TooLarge);
        var progress = busy[imageId];
        progress.Total = length;
        Interlocked.Exchange(ref progress.Done, 0);
        Directory.CreateDirectory(Folder(imageId));
        var incoming = Path.Combine(Folder(imageId), "incoming");
        try
        {
            await using (var file = new FileStream(incoming, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await body.ReadAsync(buffer, ct)) > 0)
                {
                    if (Interlocked.Add(ref progress.Done, read) > settings.MaxBytes)
                        throw new ImportFailed(TooLarge);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            if (length is not null && progress.Done != length)
                throw new IOException($"the transfer ended after {progress.Done} of {length} bytes");
            File.Move(incoming, Received(imageId), overwrite: true);
        }
        finally
        {
            File.Delete(incoming);
        }
    }

    string TooLarge => $"the file is larger than this server accepts ({settings.MaxBytes} bytes, --image-import-max-bytes)";

    /// <summary>Available (no error) or errored; an image deleted meanwhile loses its files instead.</summary>
    async Task Finish(ImageRow image, string? error)
    {
        image.Status = error is null ? "available" : "errored";
        image.ErrorMessage = error;
        // Files go before the row says errored: whoever reads "errored" finds nothing of the image left on disk.
        if (error is not null)
            DeleteFolder(image.Id);
        var view = ImageView.Of(image, catalog);
        var changed = await WriteOnceTheStoreTakesIt(async (c, t) =>
        {
            if (await ImagesSql.Finish(c, t, image) == 0)
                return false;
            await Events.Record(c, t, image.AccountId!, "image.updated", "image", image.Id, view, Clock.Stored(time.GetUtcNow()));
            return true;
        });
        if (!changed)
            DeleteFolder(image.Id);
    }

    /// <summary>
    /// The result of an import, written once the store takes writes again if it refuses them now (a full disk, PostgreSQL
    /// gone): a finished disk must not be thrown away as a failed import for that. The server stopping ends the wait; the
    /// row stays new and the next start checks the image again.
    /// </summary>
    async Task<bool> WriteOnceTheStoreTakesIt(Func<DbConnection, DbTransaction, Task<bool>> work)
    {
        var backoff = new StoreBackoff(time);
        while (true)
        {
            try
            {
                return await db.Write(work);
            }
            catch (Exception e) when (db.Engine.IsUnavailable(e) && !stopping.IsCancellationRequested)
            {
                if (!backoff.Waiting)
                    log.LogWarning("the import of an image waits for the store to take writes again: {Reason}", e.Message);
                await backoff.Wait(stopping.Token);
            }
        }
    }

    /// <summary>The files of a deleted image; one still being brought in loses them when its job ends.</summary>
    public void Remove(string imageId)
    {
        if (!busy.ContainsKey(imageId))
            DeleteFolder(imageId);
    }

    void DeleteFolder(string imageId)
    {
        if (Directory.Exists(Folder(imageId)))
            Directory.Delete(Folder(imageId), recursive: true);
    }

    string Folder(string imageId) => Path.Combine(settings.Folder, imageId);

    string Received(string imageId) => Path.Combine(Folder(imageId), "received");
}
