using Marketplace.Catalog.Benchmarks;

// Catalog benchmarks: search and list latency on a large catalogue, and the image pipeline against a bare
// ImageSharp loop doing the same work, side by side in one run. Usage:
//   dotnet run -c Release --project bench/Catalog.Benchmarks [-- --products 100000 --iterations 400 --quick --explain]
// --quick: a smaller catalogue and fewer rounds, the same output, in well under three minutes. The last line is
// the mixed search workload's result, for scripts:
//   RESULT search products=<n> p50_ms=<n> p95_ms=<n>
var quick = args.Contains("--quick");
var products = Arguments.Int(args, "--products", quick ? 20_000 : 100_000);
var iterations = Arguments.Int(args, "--iterations", quick ? 150 : 400);
var imageRounds = Arguments.Int(args, "--image-rounds", quick ? 2 : 6);

(double P50, double P95) result;
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
await using (var search = await SearchBenchmark.CreateAsync(products))
{
    if (args.Contains("--explain"))
    {
        await search.ExplainAsync();
        return;
    }

    result = await search.RunAsync(iterations);
}

ImageBenchmark.Run(imageRounds);
Console.WriteLine();
Console.WriteLine(FormattableString.Invariant($"RESULT search products={products} p50_ms={result.P50:F2} p95_ms={result.P95:F2}"));
