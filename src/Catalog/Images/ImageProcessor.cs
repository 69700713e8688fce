using Marketplace.Catalog.Data;
using Marketplace.Catalog.Products;
using Marketplace.ServiceDefaults;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Images;

public sealed class ImageProcessingOptions
{
    /// <summary>Photos processed at once by this replica; decoding is CPU- and memory-heavy.</summary>
    public int Concurrency { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Processes uploads off the request path, a bounded number at a time. Uploads wait in the database and
/// are claimed with <c>SKIP LOCKED</c>, so any replica may process any upload, each exactly once.
/// </summary>
public sealed class ImageProcessor(
    IServiceScopeFactory scopes,
    ImagePipeline pipeline,
    ImageUploadSignal signal,
    Microsoft.Extensions.Options.IOptions<ImageProcessingOptions> options,
    TimeProvider clock,
    ILogger<ImageProcessor> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.Concurrency)).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            bool processed;
            try
            {
                processed = await ProcessNextAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or DbUpdateException or InvalidOperationException)
            {
                logger.LogWarning(ex, "Image processing could not reach the database; retrying");
                processed = false;
            }

            if (!processed)
            {
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Claims and processes one waiting upload. Returns false when there was none.</summary>
    public async Task<bool> ProcessNextAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var upload = await db.ImageUploads
            .FromSql($"SELECT * FROM catalog.image_uploads ORDER BY received_at LIMIT 1 FOR UPDATE SKIP LOCKED")
            .FirstOrDefaultAsync(cancellationToken);
        if (upload is null)
        {
            return false;
        }

        if (upload.Kind == ImageUploadKind.MemberPhoto)
        {
            await ProcessMemberPhotoAsync(scope.ServiceProvider, db, upload, cancellationToken);
        }
        else if (upload.Kind == ImageUploadKind.ReviewPhoto)
        {
            await ProcessReviewPhotoAsync(scope.ServiceProvider, db, upload, cancellationToken);
        }
        else
        {
            await ProcessProductPhotoAsync(scope.ServiceProvider, db, upload, cancellationToken);
        }

        // Processed or not, the original is never kept: it may carry the maker's location.
        db.ImageUploads.Remove(upload);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task ProcessProductPhotoAsync(IServiceProvider services, CatalogDbContext db, ImageUpload upload, CancellationToken cancellationToken)
    {
        var product = await db.Products.Include(p => p.Images).Include(p => p.Variants).AsSplitQuery()
            .FirstOrDefaultAsync(p => p.Id == upload.OwnerId, cancellationToken);
        var image = product?.Images.FirstOrDefault(i => i.Id == upload.ImageId);
        if (product is null || image is null)
        {
            return;
        }

        var stored = await TryProcessAsync(services, upload, cancellationToken);
        if (stored is null)
        {
            image.Failed("Foto tidak dapat diproses. / The photo could not be processed.");
            return;
        }

        image.Completed(stored.Value.Renditions, stored.Value.Width, stored.Value.Height);
        var now = clock.GetUtcNow();
        product.ImagesChanged(now);
        services.GetRequiredService<ProductEvents>().PublishSaleChange(product, product.OnSale, now, "image_added");
    }

    private async Task ProcessMemberPhotoAsync(IServiceProvider services, CatalogDbContext db, ImageUpload upload, CancellationToken cancellationToken)
    {
        var member = await db.Members.FirstOrDefaultAsync(m => m.Id == upload.OwnerId, cancellationToken);
        if (member is null)
        {
            return;
        }

        var stored = await TryProcessAsync(services, upload, cancellationToken);
        if (stored is not null)
        {
            member.SetPhoto(stored.Value.Renditions["320.webp"]);
            services.GetRequiredService<IOutbox>().Publish(member.ToUpdatedEvent(clock.GetUtcNow()), member.Id.ToString());
        }
    }

    private async Task ProcessReviewPhotoAsync(IServiceProvider services, CatalogDbContext db, ImageUpload upload, CancellationToken cancellationToken)
    {
        var review = await db.Reviews.FirstOrDefaultAsync(r => r.Id == upload.OwnerId, cancellationToken);
        if (review is null)
        {
            return;
        }

        // A photo that cannot be decoded leaves the review without one: the text still stands.
        var stored = await TryProcessAsync(services, upload, cancellationToken);
        review.PhotoProcessed(stored?.Renditions["320.webp"], stored?.Renditions["1280.webp"]);
    }

    /// <summary>Runs the pipeline and stores every rendition; null when the photo cannot be decoded.</summary>
    private async Task<(Dictionary<string, string> Renditions, int Width, int Height)?> TryProcessAsync(IServiceProvider services, ImageUpload upload, CancellationToken cancellationToken)
    {
        IReadOnlyList<Rendition> renditions;
        int width;
        int height;
        try
        {
            (renditions, width, height) = pipeline.Process(upload.Content);
        }
        catch (Exception ex) when (ex is SixLabors.ImageSharp.ImageFormatException or SixLabors.ImageSharp.Memory.InvalidMemoryOperationException or NotSupportedException)
        {
            logger.LogWarning(ex, "Image {ImageId} could not be processed", upload.ImageId);
            return null;
        }

        var store = services.GetRequiredService<IImageStore>();
        var stored = new Dictionary<string, string>();
        foreach (var rendition in renditions)
        {
            stored[rendition.Name] = await store.PutAsync(rendition.Content, rendition.ContentType, cancellationToken);
        }

        return (stored, width, height);
    }
}

/// <summary>Wakes this replica's image workers when an upload arrives.</summary>
public sealed class ImageUploadSignal
{
    private readonly WakeSignal _inner = new();

    public void Pulse() => _inner.Pulse();

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _inner.WaitAsync(timeout, cancellationToken);
}
