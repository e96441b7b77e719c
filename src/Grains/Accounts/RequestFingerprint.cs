using System.Reflection;
using System.Text.Json;

namespace MarginOrleans.Accounts;

/// <summary>
/// What a command asks for: its method and every argument but its request id, found by the
/// parameter's name (<see cref="RequestIdParameter"/>), never by position. A repeated request id
/// must ask for the same thing, or it is refused as reused.
/// </summary>
public static class RequestFingerprint
{
    public const string RequestIdParameter = "requestId";

    public static string Of(MethodInfo method, Func<int, object?> argument) =>
        method.Name + JsonSerializer.Serialize(method.GetParameters()
            .Where(p => p.Name != RequestIdParameter)
            .Select(p => argument(p.Position))
            .ToArray());
}
