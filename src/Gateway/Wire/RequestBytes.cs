using System.Text.Unicode;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using static Google.Protobuf.WireFormat;

namespace MarginOrleans.Gateway.Wire;

/// <summary>
/// Checks a request's bytes against its message type before they are parsed. The parser's own
/// exception reaches the caller as UNKNOWN, and a known field sent with another wire type is no
/// error to it at all (it keeps the field as unknown and the call runs without it). Refused here,
/// as InvalidArgument naming the field: field number 0; wire types 3, 4 (groups, not in proto3),
/// 6 and 7; a known field with another wire type; a string that is not UTF-8; a body that ends
/// inside a tag or a value. Unknown field numbers pass: a newer client may send them.
/// </summary>
public static class RequestBytes
{
    /// <summary>The request messages nest two deep; a schema nesting deeper than this is refused, not recursed into (JSON too: <see cref="Rest.RequestJson"/>).</summary>
    public const int DepthMax = 16;

    /// <summary>Names what is wrong when it is the whole body rather than one field.</summary>
    public const string Whole = "request";

    public static void Check(ByteString body, MessageDescriptor type) => Check(body, type, "", 0);

    private static void Check(ByteString body, MessageDescriptor type, string path, int depth)
    {
        var input = body.CreateCodedInput();
        while (!input.IsAtEnd)
        {
            var tag = Read(input, path.Length == 0 ? Whole : path.TrimEnd('.'), "the body ends inside a field tag", i => i.ReadUInt32());
            var (number, wire) = (GetTagFieldNumber(tag), GetTagWireType(tag));
            if (number == 0)
            {
                throw Fields.Invalid(path.Length == 0 ? Whole : path.TrimEnd('.'), "field number 0 is not a field");
            }

            var field = type.FindFieldByNumber(number);
            var name = path + (field?.Name ?? $"field {number}");
            if (wire is not (WireType.Varint or WireType.Fixed64 or WireType.LengthDelimited or WireType.Fixed32))
            {
                throw Fields.Invalid(name, $"wire type {(int)wire} is not a wire type this API uses");
            }

            if (field is not null && !Fits(field, wire))
            {
                throw Fields.Invalid(name, $"a {field.FieldType} field cannot be sent as wire type {wire}");
            }

            var ends = $"the body ends inside this field's value (wire type {wire})";
            switch (wire)
            {
                case WireType.Varint: Read(input, name, ends, i => i.ReadUInt64()); break;
                case WireType.Fixed64: Read(input, name, ends, i => i.ReadFixed64()); break;
                case WireType.Fixed32: Read(input, name, ends, i => i.ReadFixed32()); break;
                default:
                    var value = Read(input, name, ends, i => i.ReadBytes());
                    if (field?.FieldType == FieldType.String && !Utf8.IsValid(value.Span))
                    {
                        throw Fields.Invalid(name, "is not valid UTF-8");
                    }

                    if (field?.FieldType == FieldType.Message)
                    {
                        Check(value, field.MessageType, name + ".", depth < DepthMax ? depth + 1 : throw Fields.Invalid(name, $"nests deeper than {DepthMax} messages"));
                    }

                    break;
            }
        }
    }

    /// <summary>The field's own wire type; a repeated number may also come packed (length-delimited).</summary>
    private static bool Fits(FieldDescriptor field, WireType wire) => wire == field.FieldType switch
    {
        FieldType.String or FieldType.Bytes or FieldType.Message => WireType.LengthDelimited,
        FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64 => WireType.Fixed64,
        FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32 => WireType.Fixed32,
        FieldType.Group => WireType.StartGroup,
        _ => WireType.Varint,
    } || (field.IsRepeated && wire == WireType.LengthDelimited);

    private static T Read<T>(CodedInputStream input, string name, string ends, Func<CodedInputStream, T> read)
    {
        try
        {
            return read(input);
        }
        catch (InvalidProtocolBufferException)
        {
            throw Fields.Invalid(name, ends);
        }
    }
}
