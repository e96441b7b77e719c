using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace MarginOrleans.Gateway.Tests;

/// <summary>
/// The gateway binds every service itself, to check request bytes before they are parsed: server
/// reflection and health still see and serve everything, and their requests are checked too.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ServiceBindingTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Reflection_ListsEveryService_HealthAnswers_AndTheirBodiesAreChecked()
    {
        using var reflection = new ServerReflection.ServerReflectionClient(gateway.Channel).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        Assert.True(await reflection.ResponseStream.MoveNext());
        Assert.Equal(
            ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection", "margin.v1.Accounts", "margin.v1.Markets", "margin.v1.Operations", "margin.v1.Orders", "margin.v1.Positions"],
            reflection.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal));
        await reflection.RequestStream.CompleteAsync();

        var health = new Health.HealthClient(gateway.Channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);

        var raw = Marshallers.Create<byte[]>(bytes => bytes, bytes => bytes);
        var check = new Method<byte[], byte[]>(MethodType.Unary, "grpc.health.v1.Health", "Check", raw, raw);
        var malformed = await Assert.ThrowsAsync<RpcException>(() => gateway.Channel.CreateCallInvoker().AsyncUnaryCall(check, null, new CallOptions(), [0x0A, 5, (byte)'x']).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "service: the body ends inside this field's value (wire type LengthDelimited)"), (malformed.StatusCode, malformed.Status.Detail));
    }
}
