namespace Gatehouse.Host.Tests.Support;

internal static class Eventually
{
    /// <summary>Polls until the condition holds, failing after <paramref name="seconds"/>: for changes the gateway picks up in the background.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, int seconds = 20)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(seconds), $"the condition did not become true within {seconds} s");
            await Task.Delay(100);
        }
    }
}
