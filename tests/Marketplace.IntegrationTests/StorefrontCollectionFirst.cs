using Marketplace.IntegrationTests.Web;
using Xunit;
using Xunit.Abstractions;

[assembly: TestCollectionOrderer("Marketplace.IntegrationTests.StorefrontCollectionFirst", "Marketplace.IntegrationTests")]

namespace Marketplace.IntegrationTests;

/// <summary>
/// Starts the browser tests' collection first, then the others by name. The browser tests share one stack and run one
/// after another: the longest collection by far (about 1,060 s of tests), longer than all the others together on the
/// second of the two collections xunit runs at a time (about 900 s). xunit's own order is random per run; where the
/// browser tests began 10 minutes in, they ran alone for the last 15 and the suite took 28 minutes. Begun first, they run
/// beside the rest, and the suite is as long as they are.
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
