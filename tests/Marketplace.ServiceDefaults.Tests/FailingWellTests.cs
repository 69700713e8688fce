using System.Net.Sockets;
using System.Text.Json;
using Marketplace.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Marketplace.ServiceDefaults.Tests;

/// <summary>The shared rules behind "every text field refuses control characters" and "a database outage is a 503".</summary>
public sealed class FailingWellTests
{
    private sealed record Variant(string Label, string? Description);

    private sealed record Product(string Name, string? Story, IReadOnlyList<Variant> Variants, IReadOnlyList<string>? Tags);

    private static readonly JsonSerializerOptions Options = Strict();

    private static JsonSerializerOptions Strict()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ControlCharacters.Apply(options);
        return options;
    }

    [Theory]
    [InlineData("""{"name":"Tas\u0000","variants":[]}""", "name")]
    [InlineData("""{"name":"Tas\nPandan","variants":[]}""", "name")]
    [InlineData("""{"name":"Tas","story":"Kisah\u001b[31m","variants":[]}""", "story")]
    [InlineData("""{"name":"Tas","variants":[{"label":"Besar"},{"label":"Se\tdang"}]}""", "variants[1].label")]
    [InlineData("""{"name":"Tas","variants":[{"label":"Besar","description":"\u007f"}]}""", "variants[0].description")]
    [InlineData("""{"name":"Tas","variants":[],"tags":["ok","n\u0000l"]}""", "tags[1]")]
    public void A_control_character_is_refused_naming_its_field(string json, string field)
    {
        var refused = Assert.Throws<ControlCharacterException>(() => JsonSerializer.Deserialize<Product>(json, Options));

        Assert.Equal(field, refused.Field);
    }

    [Fact]
    public void Line_breaks_and_tabs_stay_in_texts_that_may_span_lines()
    {
        var product = JsonSerializer.Deserialize<Product>("""{"name":"Tas Pandan","story":"Baris satu\r\nbaris\tdua","variants":[{"label":"Besar","description":"a\nb"}]}""", Options)!;

        Assert.Equal("Baris satu\r\nbaris\tdua", product.Story);
        Assert.Equal("a\nb", product.Variants[0].Description);
    }

    [Fact]
    public void A_database_that_cannot_answer_for_now_is_transient_and_a_broken_rule_is_not()
    {
        var unreachable = new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused));
        var timedOut = new NpgsqlException("Exception while reading from stream", new TimeoutException());

        Assert.True(DomainExceptionHandler.IsTransient(unreachable));
        Assert.True(DomainExceptionHandler.IsTransient(timedOut));
        Assert.True(DomainExceptionHandler.IsTransient(new InvalidOperationException("A transient failure.", unreachable)));
        Assert.True(DomainExceptionHandler.IsTransient(new DbUpdateException("Saving failed.", unreachable)));
        Assert.True(DomainExceptionHandler.IsTransient(new RetryLimitExceededException("Retries used up.", unreachable)));
        Assert.False(DomainExceptionHandler.IsTransient(new DomainException("Price must be positive.")));
        Assert.False(DomainExceptionHandler.IsTransient(new NpgsqlException("Bad SQL")));
        Assert.False(DomainExceptionHandler.IsTransient(new TimeoutException("An HTTP call, not the database.")));
    }
}
