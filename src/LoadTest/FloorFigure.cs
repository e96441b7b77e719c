namespace MarginOrleans.LoadTest;

/// <summary>One operation at one concurrency, measured for a fixed time: throughput and latency in milliseconds.</summary>
public sealed record FloorFigure(string Operation, int Concurrency, long Operations, double Seconds, double P50Ms, double P99Ms)
{
    public double PerSecond => Operations / Seconds;
}
