using Marketplace.IntegrationTests.Web;
using Xunit;
using Xunit.Abstractions;

[assembly: TestCollectionOrderer("Marketplace.IntegrationTests.StorefrontCollectionFirst", "Marketplace.IntegrationTests")]

namespace Marketplace.IntegrationTests;

/// <summary>
/// Starts the browser tests' collection first, then the others by name. The browser tests share one stack and run one
/// after another, about twenty minutes of the suite; every other collection together takes less. xunit's own order is
/// random per run and only two collections run at a time, so the browser tests began anywhere from the start to ten
/// minutes in, and the suite's length swung with where they fell (25 to 35 minutes). Begun first, they run beside the
/// rest instead of after it.
/// </summary>
public sealed class StorefrontCollectionFirst : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .OrderBy(collection => IsStorefront(collection) ? 0 : 1)
            .ThenBy(collection => collection.DisplayName, StringComparer.Ordinal);

    private static bool IsStorefront(ITestCollection collection) =>
        collection.CollectionDefinition?.Name == typeof(StorefrontCollection).FullName
        || collection.DisplayName == StorefrontCollection.Name;
}
