using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Gatehouse.Engine.Identity;

namespace Gatehouse.Benchmarks.Identity;

/// <summary>
/// Every data-plane request draws two ids (request and decision). The baseline is the random
/// source alone, so the ratio shows how much of an id is formatting and how much is the draw.
/// </summary>
[MemoryDiagnoser]
public class IdentifiersBenchmarks
{
    [Benchmark(Baseline = true)]
    public byte RandomBytesOnly()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return bytes[0];
    }

    [Benchmark]
    public string NewId() => Identifiers.New("req");
}
