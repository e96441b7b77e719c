using System.Net;
using System.Text.Json;
using static MarginOrleans.Gateway.Tests.RestCalls;

namespace MarginOrleans.Gateway.Tests;

/// <summary>
/// Every REST route of the protos, not one example: a command's body that is not JSON, that is
/// empty (a field it needs missing: the refusal names one of the message's fields), that has a
/// member of the wrong type or one the message lacks, or that is too large, and a read's unknown
/// query parameter — each the precise 4xx with google.rpc.Status naming the field, and nothing
/// changed (the audit's figures read the same after every route as before).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RestEveryRouteBadInputTests(GatewayFixture gateway)
{
    public static TheoryData<string> Routes => [.. RestRoutes.All().Select(r => r.Route)];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task EachRoute_RefusesMalformedInput_WithItsFieldAndChangesNothing(string route)
    {
        var rest = new RestCalls(gateway.Http());
        var (method, input) = RestRoutes.All().Where(r => r.Route == route).Select(r => (r.Route.Split(' ')[0], r.Method.InputType)).First();
        var path = Filled(route.Split(' ')[1]);
        var key = route.Contains("/operator", StringComparison.Ordinal) ? gateway.OperatorKey : null;
        var field = input.Fields.InDeclarationOrder()
            .FirstOrDefault(f => !route.Contains("{" + f.Name + "}", StringComparison.Ordinal) && f.FieldType != Google.Protobuf.Reflection.FieldType.Message);
        var (trader, accountId) = await gateway.Trader("100"); // a caller and an account that exist: what an empty body meets is its own refusal
        var before = await Ledger(rest);

        if (method == "GET")
        {
            Expect(await rest.Send(HttpMethod.Get, path + "?notAField=1", key: key), HttpStatusCode.BadRequest, "notAField", "is not a query parameter of this route");
        }
        else
        {
            Expect(await rest.Send(HttpMethod.Post, path, """{"a":""", key), HttpStatusCode.BadRequest, "request", "is not valid JSON");
            if (field is not null) // a route whose fields are all in its path (rotateApiKey) has no body to get wrong or miss
            {
                Expect(await rest.Send(HttpMethod.Post, path, $$"""{"{{field.JsonName}}":[]}""", key), HttpStatusCode.BadRequest, field.Name, "must be");
                var missing = await rest.Send(HttpMethod.Post, path.Replace("acc-nobody", accountId, StringComparison.Ordinal), "{}", key ?? trader);
                Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
                Assert.Contains(Status(missing.Json).Field, input.Fields.InDeclarationOrder().Select(f => f.Name));
            }

            Expect(await rest.Send(HttpMethod.Post, path, """{"notAField":"1"}""", key), HttpStatusCode.BadRequest, "notAField", $"is not a field of {input.FullName}");
            Expect(await rest.Send(HttpMethod.Post, path, $$"""{"notAField":"{{new string('1', 70_000)}}"}""", key), HttpStatusCode.RequestEntityTooLarge, "", "larger than 65536 bytes");
        }

        Assert.Equal(before, await Ledger(rest));
    }

    private static void Expect((HttpStatusCode Status, JsonElement Json) answer, HttpStatusCode status, string field, string message)
    {
        Assert.Equal(status, answer.Status);
        Assert.Equal(field, Status(answer.Json).Field);
        Assert.Contains(message, answer.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static string Filled(string template) => template
        .Replace("{symbol}", GatewayFixture.Symbol, StringComparison.Ordinal)
        .Replace("{account_id}", "acc-nobody", StringComparison.Ordinal)
        .Replace("{order_id}", "1", StringComparison.Ordinal);

    /// <summary>The money the audit counts, and the accounts: a refused call changes none of it.</summary>
    private async Task<string> Ledger(RestCalls rest)
    {
        var audit = await rest.Get("/v1/operator/audit", gateway.OperatorKey);
        return string.Join(' ', new[] { "deposits", "withdrawals", "wallets", "isolatedMargins", "insuranceFund", "fundTopUps" }.Select(f => Text(audit, f)))
            + " " + audit.GetProperty("accounts").GetInt32();
    }
}
