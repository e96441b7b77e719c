using System.Text.Json;
using Google.Protobuf;
using MarginOrleans.Api.V1;
using YamlDotNet.RepresentationModel;

namespace MarginOrleans.Cli;

/// <summary>
/// A market spec from a file, in the API's own JSON mapping (field names as in the .proto or in
/// lowerCamelCase, decimals as strings) or the same fields in YAML. Unknown fields are an error,
/// so a typo never silently falls back to a default.
/// </summary>
public static class MarketSpecFile
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    public static MarketSpec Read(string path)
    {
        var text = File.ReadAllText(path);
        try
        {
            var json = Path.GetExtension(path).ToLowerInvariant() is ".yaml" or ".yml" ? YamlToJson(text) : text;
            return Parser.Parse<MarketSpec>(json);
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidCastException or ArgumentException)
        {
            throw new FormatException($"{path}: not a YAML mapping of MarketSpec fields ({e.Message})", e);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
        catch (InvalidJsonException e)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// YAML to the API's JSON: every scalar a string (the JSON mapping reads integers from strings
    /// too, and decimals are strings anyway) except an unquoted true or false.
    /// </summary>
    private static string YamlToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, stream.Documents.Count == 0 ? new YamlMappingNode() : stream.Documents[0].RootNode);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                writer.WriteStartObject();
                foreach (var (key, value) in map.Children)
                {
                    writer.WritePropertyName(((YamlScalarNode)key).Value ?? "");
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case YamlSequenceNode list:
                writer.WriteStartArray();
                foreach (var item in list.Children)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "true" or "false" } flag:
                writer.WriteBooleanValue(flag.Value == "true");
                break;
            case YamlScalarNode scalar:
                writer.WriteStringValue(scalar.Value);
                break;
        }
    }
}
