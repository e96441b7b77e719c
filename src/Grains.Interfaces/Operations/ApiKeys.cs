using System.Security.Cryptography;
using System.Text;

namespace MarginOrleans.Operations;

public static class ApiKeys
{
    /// <summary>The grain key under which an API key's principal is stored.</summary>
    public static string Hash(string apiKey) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey))).ToLowerInvariant();

    public static string NewKey() =>
        "mk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}
