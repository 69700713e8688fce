using System.Text.RegularExpressions;
using Marketplace.Catalog.Common;
using Marketplace.Catalog.Data;
using Marketplace.Catalog.Products;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Marketplace.Catalog.Images;

public static partial class ImagesApi
{
    public static RouteGroupBuilder MapImagesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/products/{id:guid}/images", UploadAsync)
            .RequireAuthorization(MarketplacePolicies.Member)
            .DisableAntiforgery()
            .WithTags("Images")
            .WithName("UploadProductImage")
            .WithSummary("Uploads a photo (JPEG, PNG or WebP, at most 15 MB and 40 megapixels); it is processed in the background.");

        api.MapPut("/members/me/photo", UploadMemberPhotoAsync)
            .RequireAuthorization(MarketplacePolicies.Member)
            .DisableAntiforgery()
            .WithTags("Images")
            .WithName("UploadMyMemberPhoto")
            .WithSummary("A member's profile photo (JPEG, PNG or WebP); processed in the background like product photos.");

        api.MapGet("/images/{file}", ServeAsync)
            .WithTags("Images")
            .WithName("GetImage")
            .WithSummary("A processed image by its content hash; immutable, cache it forever.");
        return api;
    }

    public static async Task<Results<Accepted<ImageResponse>, NotFound>> UploadAsync(
        Guid id,
        HttpContext http,
        CatalogDbContext db,
        ImageUploadSignal signal,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var product = await db.Products.Include(p => p.Images).FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (product is null || !http.User.IsMember(product.MemberId))
        {
            return TypedResults.NotFound();
        }

        var content = await ReadAcceptableUploadAsync(http, cancellationToken);
        var now = clock.GetUtcNow();
        var image = product.AcceptImage(now);
        db.ImageUploads.Add(new ImageUpload { ImageId = image.Id, Kind = ImageUploadKind.ProductPhoto, OwnerId = product.Id, Content = content, ReceivedAt = now });
        await db.SaveChangesAsync(cancellationToken);
        signal.Pulse();
        return TypedResults.Accepted(
            $"/api/catalog/products/{product.Id}/manage",
            new ImageResponse(image.Id, ImageStatus.Processing, new Dictionary<string, string>(), null, null, null));
    }

    public static async Task<Results<Accepted, NotFound>> UploadMemberPhotoAsync(
        HttpContext http,
        CatalogDbContext db,
        ImageUploadSignal signal,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var memberId = http.User.MemberId();
        if (memberId is null || !await db.Members.AnyAsync(m => m.Id == memberId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        await QueueUploadAsync(http, db, ImageUploadKind.MemberPhoto, memberId.Value, signal, clock, cancellationToken);
        return TypedResults.Accepted($"/api/catalog/members/{memberId}");
    }

    /// <summary>
    /// Takes an acceptable photo from the request and leaves it to be processed off the request path (upright,
    /// metadata removed, resized) for its owner: a member's own photo, a review's.
    /// </summary>
    internal static async Task QueueUploadAsync(
        HttpContext http, CatalogDbContext db, ImageUploadKind kind, Guid ownerId, ImageUploadSignal signal, TimeProvider clock, CancellationToken cancellationToken)
    {
        var content = await ReadAcceptableUploadAsync(http, cancellationToken);
        db.ImageUploads.Add(new ImageUpload
        {
            ImageId = Guid.CreateVersion7(),
            Kind = kind,
            OwnerId = ownerId,
            Content = content,
            ReceivedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
        signal.Pulse();
    }

    /// <summary>Reads the upload and refuses it unless it is an image we accept, before any pixel is decoded.</summary>
    private static async Task<byte[]> ReadAcceptableUploadAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var content = await ReadUploadAsync(http, cancellationToken);
        ImageRules.SniffFormat(content);
        ImageRules.CheckDimensions(content);
        return content;
    }

    /// <summary>Reads the photo from a multipart form (its first file) or a raw body, never more than the limit.</summary>
    private static async Task<byte[]> ReadUploadAsync(HttpContext http, CancellationToken cancellationToken)
    {
        // Refuse by the announced size before reading a byte.
        if (http.Request.ContentLength > ImageRules.MaxBytes + (64 * 1024))
        {
            throw TooBig();
        }

        var sizeFeature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = ImageRules.MaxBytes + (64 * 1024);
        }

        Stream source;
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = ImageRules.MaxBytes, ValueCountLimit = 10 }, cancellationToken);
            var file = (form.Files.Count > 0 ? form.Files[0] : null) ?? throw new DomainException("Attach the photo as a file.", "image_missing");
            if (file.Length > ImageRules.MaxBytes)
            {
                throw TooBig();
            }

            source = file.OpenReadStream();
        }
        else
        {
            source = http.Request.Body;
        }

        await using (source)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > ImageRules.MaxBytes)
                {
                    throw TooBig();
                }

                buffer.Write(chunk, 0, read);
            }

            if (buffer.Length == 0)
            {
                throw new DomainException("The upload is empty.", "image_missing");
            }

            return buffer.ToArray();
        }
    }

    public static async Task<IResult> ServeAsync(string file, HttpContext http, IImageStore store, CancellationToken cancellationToken)
    {
        var match = ImageFileName().Match(file);
        if (!match.Success)
        {
            return TypedResults.NotFound();
        }

        var hash = match.Groups["hash"].Value;
        var contentType = match.Groups["ext"].Value == "webp" ? "image/webp" : "image/jpeg";
        var etag = new EntityTagHeaderValue($"\"{hash}\"");
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        http.Response.Headers.ETag = etag.ToString();
        if (http.Request.Headers.IfNoneMatch.Any(v => v == etag.ToString() || v == "*"))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var image = await store.GetAsync(hash, cancellationToken);
        // Only processed renditions are stored, so an original can never be fetched, whatever its hash.
        if (image is null || image.ContentType != contentType)
        {
            http.Response.Headers.Remove("Cache-Control");
            http.Response.Headers.Remove("ETag");
            return TypedResults.NotFound();
        }

        return TypedResults.File(image.Content, image.ContentType);
    }

    private static PayloadTooLargeException TooBig() =>
        new($"A photo may be at most {ImageRules.MaxBytes / (1024 * 1024)} MB.", "image_too_big");

    [GeneratedRegex("^(?<hash>[0-9a-f]{64})\\.(?<ext>webp|jpg)$")]
    private static partial Regex ImageFileName();
}
