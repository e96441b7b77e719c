using System.Globalization;
using System.Text.Json;
using Google.Protobuf.Reflection;
using MarginOrleans.Gateway.Wire;

namespace MarginOrleans.Gateway.Rest;

/// <summary>
/// Checks a REST request's JSON body (and query string) against its message type before the
/// transcoder reads it, as <see cref="RequestBytes"/> checks a gRPC body: every member must be a
/// field of the message (by its proto or JSON name, once), of the field's JSON type, nested no
/// deeper than <see cref="RequestBytes.DepthMax"/>. The transcoder itself skips an unknown member
/// and reports a mistyped one without naming it; here each is InvalidArgument naming the field
/// (<see cref="Fields.Invalid"/>). What a value means (a decimal, a symbol) the services check,
/// the same for every door.
/// </summary>
public static class RequestJson
{
    /// <summary>The body's own fields: not those the route's path gives (<paramref name="pathFields"/>).</summary>
    public static void CheckBody(JsonElement body, MessageDescriptor type, IReadOnlySet<string> pathFields)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw Fields.Invalid(RequestBytes.Whole, $"must be a JSON object (a {type.Name}), not {Kind(body)}");
        }

        CheckObject(body, type, "", 0, pathFields);
    }

    /// <summary>A GET's query string: each key a top-level field the path does not give, each value text of its type.</summary>
    public static void CheckQuery(IQueryCollection query, MessageDescriptor type, IReadOnlySet<string> pathFields)
    {
        foreach (var (key, values) in query)
        {
            var field = Find(type, key) ?? throw Fields.Invalid(key, $"is not a query parameter of this route: {Names(type, pathFields)}");
            if (pathFields.Contains(field.Name))
            {
                throw Fields.Invalid(field.Name, "is given by the path; leave it out of the query");
            }

            if (field.FieldType == FieldType.Message || field.IsMap || (!field.IsRepeated && values.Count != 1))
            {
                throw Fields.Invalid(field.Name, field.IsRepeated ? "cannot be given in the query" : "is given more than once");
            }

            foreach (var value in values)
            {
                if (!TextFits(field, value ?? ""))
                {
                    throw Fields.Invalid(field.Name, $"'{value}' is not {Expected(field)}");
                }
            }
        }
    }

    private static void CheckObject(JsonElement json, MessageDescriptor type, string path, int depth, IReadOnlySet<string> pathFields)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in json.EnumerateObject())
        {
            var field = Find(type, member.Name)
                ?? throw Fields.Invalid(path + member.Name, $"is not a field of {type.FullName}: {Names(type, path.Length == 0 ? pathFields : new HashSet<string>())}");
            var name = path + field.Name;
            if (!seen.Add(field.Name))
            {
                throw Fields.Invalid(name, "is given more than once");
            }

            if (path.Length == 0 && pathFields.Contains(field.Name))
            {
                throw Fields.Invalid(name, "is given by the path; leave it out of the body");
            }

            CheckValue(member.Value, field, name, depth, elementOfList: false);
        }
    }

    private static void CheckValue(JsonElement value, FieldDescriptor field, string name, int depth, bool elementOfList)
    {
        if (value.ValueKind == JsonValueKind.Null && !elementOfList)
        {
            return; // proto3 JSON: null is the field's default
        }

        if (field.IsMap && !elementOfList)
        {
            var valueField = field.MessageType.FindFieldByNumber(2);
            foreach (var entry in value.ValueKind == JsonValueKind.Object ? value.EnumerateObject() : throw Mistyped(value, field, name, "a JSON object"))
            {
                CheckValue(entry.Value, valueField, $"{name}[{entry.Name}]", depth, elementOfList: true);
            }

            return;
        }

        if (field.IsRepeated && !elementOfList)
        {
            var index = 0;
            foreach (var element in value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw Mistyped(value, field, name, "a JSON array"))
            {
                CheckValue(element, field, $"{name}[{index++}]", depth, elementOfList: true);
            }

            return;
        }

        if (field.FieldType == FieldType.Message)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw Mistyped(value, field, name, "a JSON object");
            }

            CheckObject(value, field.MessageType, name + ".", depth < RequestBytes.DepthMax ? depth + 1 : throw Fields.Invalid(name, $"nests deeper than {RequestBytes.DepthMax} messages"), new HashSet<string>());
            return;
        }

        var fits = value.ValueKind switch
        {
            JsonValueKind.String => field.FieldType is not (FieldType.Bool) && TextFits(field, value.GetString()!),
            JsonValueKind.Number => IsNumber(field.FieldType) && TextFits(field, value.GetRawText()) || field.FieldType == FieldType.Enum && value.TryGetInt32(out var number) && field.EnumType.FindValueByNumber(number) is not null,
            JsonValueKind.True or JsonValueKind.False => field.FieldType == FieldType.Bool,
            _ => false,
        };
        if (!fits)
        {
            throw Mistyped(value, field, name, Expected(field));
        }
    }

    /// <summary>
    /// Text as proto3 JSON reads it for the field: any string for a string; an integer in range
    /// (a JSON number or a string of digits) for an integer; a value's name for an enum.
    /// </summary>
    private static bool TextFits(FieldDescriptor field, string text) => field.FieldType switch
    {
        FieldType.String or FieldType.Bytes => true,
        FieldType.Bool => text is "true" or "false",
        FieldType.Enum => field.EnumType.FindValueByName(text) is not null,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        FieldType.UInt32 or FieldType.Fixed32 => uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        FieldType.UInt64 or FieldType.Fixed64 => ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _),
        _ => false,
    };

    private static bool IsNumber(FieldType type) => type is not (FieldType.String or FieldType.Bytes or FieldType.Bool or FieldType.Enum or FieldType.Message or FieldType.Group);

    private static string Expected(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.String => "a JSON string",
        FieldType.Bytes => "a base64 JSON string",
        FieldType.Bool => "true or false",
        FieldType.Enum => $"one of {string.Join(", ", field.EnumType.Values.Select(v => v.Name))}",
        _ => $"an integer ({field.FieldType}; a JSON number or a string of digits)",
    };

    private static Grpc.Core.RpcException Mistyped(JsonElement value, FieldDescriptor field, string name, string expected) =>
        Fields.Invalid(name, $"must be {expected}, not {Kind(value)}");

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string {Shorten(value.GetRawText())}",
        JsonValueKind.Number => $"the number {Shorten(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "null",
    };

    private static string Shorten(string text) => text.Length <= 42 ? text : text[..40] + "…";

    /// <summary>A field by its proto name (<c>request_id</c>) or its JSON name (<c>requestId</c>), as the transcoder reads both.</summary>
    private static FieldDescriptor? Find(MessageDescriptor type, string name) =>
        type.FindFieldByName(name) ?? type.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == name);

    private static string Names(MessageDescriptor type, IReadOnlySet<string> pathFields)
    {
        var names = type.Fields.InDeclarationOrder().Where(f => !pathFields.Contains(f.Name)).Select(f => f.JsonName).ToList();
        return names.Count == 0 ? "it has none" : "it has " + string.Join(", ", names);
    }
}
