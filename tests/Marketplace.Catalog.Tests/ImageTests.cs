using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Marketplace.Catalog.Products;
using Marketplace.Testing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace Marketplace.Catalog.Tests;

public sealed class ImageTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    /// <summary>A photo as a phone takes it: JPEG, sideways (orientation 6), with the GPS position of the kitchen.</summary>
    private static byte[] PhoneJpegWithGps(int width = 900, int height = 600)
    {
        using var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image[x, y] = new Rgb24((byte)(x % 256), (byte)(y % 256), 120);
            }
        }

        var exif = new ExifProfile();
        exif.SetValue(ExifTag.GPSLatitudeRef, "S");
        exif.SetValue(ExifTag.GPSLatitude, [new Rational(7, 1), new Rational(42, 1), new Rational(3, 1)]);
        exif.SetValue(ExifTag.GPSLongitudeRef, "E");
        exif.SetValue(ExifTag.GPSLongitude, [new Rational(113, 1), new Rational(23, 1), new Rational(50, 1)]);
        exif.SetValue(ExifTag.Orientation, (ushort)6);
        exif.SetValue(ExifTag.Make, "TestPhone");
        image.Metadata.ExifProfile = exif;
        using var output = new MemoryStream();
        image.Save(output, new JpegEncoder { Quality = 85 });
        return output.ToArray();
    }

    /// <summary>A tiny, valid PNG whose header claims 30000 x 30000 pixels: 3.5 GB if anyone decoded it.</summary>
    private static byte[] DecompressionBombPng()
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, 30000);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 30000);
        header[8] = 8;  // bit depth
        header[9] = 6;  // RGBA
        WriteChunk(output, "IHDR", header);
        WriteChunk(output, "IDAT", [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]);
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crcBytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, Crc32([.. typeBytes, .. data]));
        output.Write(crcBytes);
    }

    /// <summary>PNG's chunk checksum (CRC-32, polynomial 0xEDB88320).</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private async Task<(TestMember Member, ManagedProductResponse Product)> ProductAsync()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        return (member, await catalog.PublishedProductAsync(member));
    }

    private async Task<HttpResponseMessage> UploadAsync(TestMember member, Guid productId, byte[] content, string fileName = "foto.jpg")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await catalog.As(member.Token).PostAsync(new Uri($"/api/catalog/products/{productId}/images", UriKind.Relative), form);
    }

    [Fact]
    public async Task A_phone_photo_is_served_upright_in_every_size_without_its_GPS_position()
    {
        var (member, product) = await ProductAsync();
        var original = PhoneJpegWithGps();

        var upload = await UploadAsync(member, product.Id, original);
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);

        var ready = await Eventually.GetAsync(
            async () => (await catalog.Anonymous().GetFromJsonAsync<ProductResponse>($"/api/catalog/products/{product.Id}"))!.Images,
            images => images.Count == 1,
            because: "the photo to be processed");
        var image = ready[0];
        Assert.Equal(["1280.jpg", "1280.webp", "320.jpg", "320.webp", "640.jpg", "640.webp"], image.Urls.Keys.Order(StringComparer.Ordinal));
        // Orientation 6 means the camera was turned: the served photo is portrait.
        Assert.Equal((600, 900), (image.Width!.Value, image.Height!.Value));

        foreach (var url in image.Urls.Values)
        {
            var bytes = await catalog.Anonymous().GetByteArrayAsync(new Uri(url, UriKind.Relative));
            using var served = Image.Load(bytes);
            Assert.Null(served.Metadata.ExifProfile?.GetValue(ExifTag.GPSLatitude));
            Assert.Null(served.Metadata.ExifProfile);
            Assert.Null(served.Metadata.XmpProfile);
            Assert.Null(served.Metadata.IptcProfile);
            Assert.True(served.Height > served.Width, $"{url} is {served.Width}x{served.Height}");
        }

        var originalHash = Convert.ToHexStringLower(SHA256.HashData(original));
        Assert.Equal(HttpStatusCode.NotFound, (await catalog.Anonymous().GetAsync(new Uri($"/api/catalog/images/{originalHash}.jpg", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Served_images_are_immutable_and_revalidate_by_ETag()
    {
        var (member, product) = await ProductAsync();
        await UploadAsync(member, product.Id, PhoneJpegWithGps(400, 300));
        var images = await Eventually.GetAsync(
            async () => (await catalog.Anonymous().GetFromJsonAsync<ProductResponse>($"/api/catalog/products/{product.Id}"))!.Images,
            i => i.Count == 1, because: "the photo to be processed");
        var url = new Uri(images[0].Urls["640.webp"], UriKind.Relative);

        var first = await catalog.Anonymous().GetAsync(url);
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var second = await catalog.Anonymous().SendAsync(request);

        Assert.Equal("image/webp", first.Content.Headers.ContentType!.MediaType);
        Assert.Contains("immutable", first.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    // Named cases, built inside the test: test runners serialise theory data, and 16 MB does not travel well.
    private static (byte[] Content, HttpStatusCode Expected) Hostile(string what) => what switch
    {
        "a PNG claiming 30000x30000" => (DecompressionBombPng(), HttpStatusCode.BadRequest),
        "a script named .jpg" => (Encoding.UTF8.GetBytes("<script>alert(1)</script>"), HttpStatusCode.BadRequest),
        "a GIF" => (Encoding.ASCII.GetBytes("GIF89a").Concat(new byte[64]).ToArray(), HttpStatusCode.BadRequest),
        "an SVG" => (Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>x</script></svg>"), HttpStatusCode.BadRequest),
        "a truncated JPEG" => ([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10], HttpStatusCode.BadRequest),
        "an empty file" => ([], HttpStatusCode.BadRequest),
        "16 MB" => (new byte[16 * 1024 * 1024], HttpStatusCode.RequestEntityTooLarge),
        _ => throw new ArgumentOutOfRangeException(nameof(what)),
    };

    [Theory]
    [InlineData("a PNG claiming 30000x30000")]
    [InlineData("a script named .jpg")]
    [InlineData("a GIF")]
    [InlineData("an SVG")]
    [InlineData("a truncated JPEG")]
    [InlineData("an empty file")]
    [InlineData("16 MB")]
    public async Task A_hostile_upload_is_refused_at_once_and_nothing_is_kept(string what)
    {
        var (content, expected) = Hostile(what);
        var (member, product) = await ProductAsync();
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var response = await UploadAsync(member, product.Id, content);

        Assert.True(expected == response.StatusCode, $"{what}: got {(int)response.StatusCode}");
        // Refused from the header: nowhere near the 3.5 GB a decode of the bomb would take. The counter is
        // process-wide and other test classes run alongside, hence the generous bound.
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 1024L * 1024 * 1024, $"{what} allocated too much");
        var managed = await catalog.As(member.Token).GetFromJsonAsync<ManagedProductResponse>($"/api/catalog/products/{product.Id}/manage");
        Assert.Empty(managed!.Images);
        Assert.Equal(0, await catalog.InDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.ImageUploads)));
    }

    [Fact]
    public async Task Only_the_products_member_may_upload_its_photos()
    {
        var (_, product) = await ProductAsync();
        var other = await catalog.NewMemberAsync(product.CooperativeId, "Ibu Lain");

        var response = await UploadAsync(other, product.Id, PhoneJpegWithGps(200, 200));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_members_profile_photo_is_processed_and_served_without_its_GPS_position()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(PhoneJpegWithGps(500, 500)), "file", "saya.jpg" } };

        var upload = await catalog.As(member.Token).PutAsync(new Uri("/api/catalog/members/me/photo", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var profile = await Eventually.GetAsync(
            async () => (await catalog.Anonymous().GetFromJsonAsync<Members.MemberResponse>($"/api/catalog/members/{member.Id}"))!,
            m => m.PhotoUrl is not null, because: "the photo to be processed");
        using var served = Image.Load(await catalog.Anonymous().GetByteArrayAsync(new Uri(profile.PhotoUrl!, UriKind.Relative)));
        Assert.Null(served.Metadata.ExifProfile);
    }

    [Fact]
    public async Task A_PNG_and_a_WebP_are_accepted_like_a_JPEG()
    {
        var (member, product) = await ProductAsync();
        using var image = new Image<Rgba32>(300, 200, new Rgba32(200, 100, 50, 255));
        using var png = new MemoryStream();
        image.Save(png, new PngEncoder());
        using var webp = new MemoryStream();
        image.SaveAsWebp(webp);

        Assert.Equal(HttpStatusCode.Accepted, (await UploadAsync(member, product.Id, png.ToArray(), "foto.png")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await UploadAsync(member, product.Id, webp.ToArray(), "foto.webp")).StatusCode);
        await Eventually.TrueAsync(
            async () => (await catalog.Anonymous().GetFromJsonAsync<ProductResponse>($"/api/catalog/products/{product.Id}"))!.Images.Count == 2,
            because: "both photos to be processed");
    }
}
