using Orleans.Runtime;
using Orleans.Storage;

namespace MarginOrleans;

/// <summary>
/// A caller's word that a grain has no stored state yet, so its activation may skip reading it: a
/// position leg its account never held, an account being created. The word rides
/// the call's request context, naming the one grain it is about; the silo's storage then starts that
/// activation from a fresh state and its first write inserts the row only if absent. A wrong word
/// costs nothing but time: that insert is refused (<see cref="InconsistentStateException"/>), the
/// activation ends, and the call is made once more without it, so the grain reads what is stored.
/// </summary>
public static class AssumedNew
{
    private const string Key = "margin.assumed-new";

    /// <summary>Calls <paramref name="grain"/> with the word that it is new; once more without it if it was not.</summary>
    public static async Task<T> Call<T>(IAddressable grain, Func<Task<T>> call)
    {
        RequestContext.Set(Key, grain.GetGrainId().ToString());
        try
        {
            return await call();
        }
        catch (InconsistentStateException)
        {
            Forget();
            return await call();
        }
        finally
        {
            Forget();
        }
    }

    public static Task Call(IAddressable grain, Func<Task> call) => Call(grain, async () =>
    {
        await call();
        return true;
    });

    /// <summary>True when the call being served says <paramref name="grain"/> is new.</summary>
    public static bool Said(GrainId grain) => RequestContext.Get(Key) is string said && said == grain.ToString();

    /// <summary>Drops the word from this call's context: what this grain calls next, or reads again, is not new.</summary>
    public static void Forget() => RequestContext.Remove(Key);
}
