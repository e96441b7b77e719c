using System.Security.Cryptography;
using System.Text;

namespace MarginOrleans.Operations;

/// <summary>
/// API keys. A trader's key names its account (<c>mka.{account id}.{secret}</c>): the account's own
/// state holds the key's hash, so a key costs no row of its own and a rotation replaces it in one
/// write. Any other key (the operator's, a trader's key made before keys named accounts) is found by
/// its hash in its own grain (<see cref="IApiKeyGrain"/>).
/// </summary>
public static class ApiKeys
{
    private const string AccountKeyPrefix = "mka.";

    /// <summary>The grain key under which an API key's principal is stored; what an account keeps of its key.</summary>
    public static string Hash(string apiKey) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey))).ToLowerInvariant();

    /// <summary>A key found by its hash alone: the operator's.</summary>
    public static string NewKey() => "mk_" + Secret();

    /// <summary>A trader's key, naming the account whose state holds its hash.</summary>
    public static string NewKey(string accountId) => AccountKeyPrefix + accountId + "." + Secret();

    /// <summary>The account a key names (up to its last '.': the secret has none), or null for a key found by its hash.</summary>
    public static string? AccountOf(string apiKey)
    {
        var secret = apiKey.LastIndexOf('.');
        return apiKey.StartsWith(AccountKeyPrefix, StringComparison.Ordinal) && secret > AccountKeyPrefix.Length && secret < apiKey.Length - 1
            ? apiKey[AccountKeyPrefix.Length..secret]
            : null;
    }

    /// <summary>Whether the hash an account keeps is <paramref name="keyHash"/>, in time that does not tell how close it came.</summary>
    public static bool Matches(string kept, string keyHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(kept), Encoding.ASCII.GetBytes(keyHash));

    private static string Secret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}
