namespace MarginOrleans;

/// <summary>Corrupted state is a bug, not a rejection: these checks throw in Release builds too.</summary>
public static class Invariant
{
    public static void Assert(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Invariant violated: " + message);
        }
    }
}
