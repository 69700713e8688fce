using System.Globalization;

namespace Marketplace.Catalog.Benchmarks;

internal static class Arguments
{
    public static int Int(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}

internal static class Stats
{
    public static (double P50, double P95, double Mean) Of(List<double> samples)
    {
        samples.Sort();
        double At(double q) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(q * samples.Count) - 1)];
        return (At(0.50), At(0.95), samples.Average());
    }
}
