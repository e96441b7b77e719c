using Google.Api;
using Google.Protobuf.Reflection;

namespace MarginOrleans.Gateway.Tests;

/// <summary>Every RPC's REST routes as its proto declares them (<c>google.api.http</c>, with its additional bindings): "GET /v1/markets/{symbol}".</summary>
public static class RestRoutes
{
    public static readonly ServiceDescriptor[] Services =
        [Api.V1.Markets.Descriptor, Api.V1.Accounts.Descriptor, Api.V1.Positions.Descriptor, Api.V1.Orders.Descriptor, Api.V1.Operations.Descriptor];

    public static IEnumerable<(MethodDescriptor Method, string Route)> All() =>
        from service in Services
        from method in service.Methods
        from rule in Rules(method)
        select (method, Route(rule));

    private static IEnumerable<HttpRule> Rules(MethodDescriptor method)
    {
        var rule = method.GetOptions()?.GetExtension(AnnotationsExtensions.Http);
        return rule is null ? [] : [rule, .. rule.AdditionalBindings];
    }

    private static string Route(HttpRule rule) => rule.PatternCase switch
    {
        HttpRule.PatternOneofCase.Get => "GET " + rule.Get,
        HttpRule.PatternOneofCase.Post => "POST " + rule.Post,
        HttpRule.PatternOneofCase.Put => "PUT " + rule.Put,
        HttpRule.PatternOneofCase.Delete => "DELETE " + rule.Delete,
        HttpRule.PatternOneofCase.Patch => "PATCH " + rule.Patch,
        _ => throw new InvalidOperationException($"no pattern in {rule}"),
    };
}
