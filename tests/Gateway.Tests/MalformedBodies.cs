using Google.Protobuf;
using Google.Protobuf.Reflection;
using static Google.Protobuf.WireFormat;

namespace MarginOrleans.Gateway.Tests;

/// <summary>
/// Request bodies that are not a valid protobuf message of their type, built from the type's
/// descriptor: each names the status detail the gateway must answer with.
/// </summary>
public static class MalformedBodies
{
    public sealed record Body(string Name, byte[] Bytes, string Detail);

    public static IEnumerable<Body> For(MessageDescriptor type)
    {
        var fields = type.Fields.InFieldNumberOrder();
        var unused = fields.Count == 0 ? 1 : fields[^1].FieldNumber + 1;
        var text = fields.FirstOrDefault(f => f.FieldType == FieldType.String && !f.IsMap);
        var varint = fields.FirstOrDefault(f => f.FieldType is FieldType.Int32 or FieldType.Int64 or FieldType.Bool or FieldType.Enum && !f.IsRepeated);
        var delimited = fields.FirstOrDefault(f => f.FieldType is FieldType.String or FieldType.Message);
        string Named(FieldDescriptor? f, int number) => f?.Name ?? $"field {number}";

        yield return new("field number 0", [Tag(0, WireType.LengthDelimited), 1, (byte)'A'], "request: field number 0 is not a field");
        yield return new("truncated tag", [0x80], "request: the body ends inside a field tag");

        var len = delimited?.FieldNumber ?? unused;
        yield return new("truncated length-delimited field", [Tag(len, WireType.LengthDelimited), 10, (byte)'B', (byte)'T', (byte)'C'],
            $"{Named(delimited, len)}: the body ends inside this field's value (wire type LengthDelimited)");

        var number = varint?.FieldNumber ?? unused;
        yield return new("truncated varint", [Tag(number, WireType.Varint), 0xFF, 0xFF], $"{Named(varint, number)}: the body ends inside this field's value (wire type Varint)");
        yield return new("wire type 7", [Tag(unused, (WireType)7)], $"field {unused}: wire type 7 is not a wire type this API uses");

        if (text is not null)
        {
            yield return new("invalid UTF-8 in a string field", [Tag(text.FieldNumber, WireType.LengthDelimited), 2, 0xC3, 0x28], $"{text.Name}: is not valid UTF-8");
        }

        if (fields.FirstOrDefault() is { } first)
        {
            byte[] wrong = first.FieldType is FieldType.String or FieldType.Message or FieldType.Bytes
                ? [Tag(first.FieldNumber, WireType.Fixed32), 1, 2, 3, 4]
                : [Tag(first.FieldNumber, WireType.LengthDelimited), 1, (byte)'x'];
            var sent = first.FieldType is FieldType.String or FieldType.Message or FieldType.Bytes ? WireType.Fixed32 : WireType.LengthDelimited;
            yield return new("wrong wire type", wrong, $"{first.Name}: a {first.FieldType} field cannot be sent as wire type {sent}");
        }
    }

    private static byte Tag(int field, WireType wire) => checked((byte)MakeTag(field, wire));
}
