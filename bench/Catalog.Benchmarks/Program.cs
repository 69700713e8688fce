using Marketplace.Catalog.Benchmarks;

// Catalog benchmarks: search and list latency on a large catalogue, and the image pipeline against a bare
// ImageSharp loop doing the same work, side by side in one run. Usage:
//   dotnet run -c Release --project bench/Catalog.Benchmarks [-- --products 100000 --iterations 400]
var products = Arguments.Int(args, "--products", 100_000);
var iterations = Arguments.Int(args, "--iterations", 400);
var imageRounds = Arguments.Int(args, "--image-rounds", 6);

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
await using (var search = await SearchBenchmark.CreateAsync(products))
{
    if (args.Contains("--explain"))
    {
        await search.ExplainAsync();
        return;
    }

    await search.RunAsync(iterations);
}

ImageBenchmark.Run(imageRounds);
