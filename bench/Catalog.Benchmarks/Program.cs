using Marketplace.Catalog.Benchmarks;

// Catalog benchmarks: search and list latency on a large catalogue, and the image pipeline against a bare
// ImageSharp loop doing the same work, side by side in one run. Usage:
//   dotnet run -c Release --project bench/Catalog.Benchmarks [-- --products 100000 --iterations 400 --quick --explain --data <folder>]
// --quick: a smaller catalogue and fewer rounds, the same output, in well under three minutes. The searches run twice
// on the same data, with PostgreSQL's defaults and then with production's settings. The last line is the mixed search
// workload's result with production's settings, for scripts:
//   RESULT search products=<n> p50_ms=<n> p95_ms=<n>
var quick = args.Contains("--quick");
var products = Arguments.Int(args, "--products", quick ? 20_000 : 100_000);
var iterations = Arguments.Int(args, "--iterations", quick ? 150 : 400);
var imageRounds = Arguments.Int(args, "--image-rounds", quick ? 2 : 6);

(double P50, double P95) result;
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
var dataIndex = Array.IndexOf(args, "--data");
await using (var search = await SearchBenchmark.CreateAsync(products, dataIndex >= 0 && dataIndex + 1 < args.Length ? args[dataIndex + 1] : null))
{
    if (args.Contains("--explain"))
    {
        await search.ExplainAsync();
        return;
    }

    // The same data twice: first as the local run's PostgreSQL has it (its defaults: 128 MB of shared buffers), then
    // as production configures it. The result is production's.
    Console.WriteLine();
    Console.WriteLine("PostgreSQL as the local run has it (defaults):");
    await search.RunAsync(iterations);
    await search.UseProductionSettingsAsync();
    Console.WriteLine();
    Console.WriteLine("PostgreSQL as production has it (" + string.Join(", ", SearchBenchmark.ProductionSettings.Select(s => $"{s.Key}={s.Value}")) + "):");
    result = await search.RunAsync(iterations);
}

ImageBenchmark.Run(imageRounds);
Console.WriteLine();
Console.WriteLine(FormattableString.Invariant($"RESULT search products={products} p50_ms={result.P50:F2} p95_ms={result.P95:F2}"));
