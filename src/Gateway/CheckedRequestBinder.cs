using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using MarginOrleans.Gateway.Wire;

namespace MarginOrleans.Gateway;

/// <summary>
/// Receives each method of a generated service's <c>BindService</c> and adds it to the endpoint
/// model with its request marshaller wrapped: the bytes are checked (<see cref="RequestBytes"/>)
/// before the generated parser sees them, and whatever the parser still refuses is InvalidArgument
/// too. The service's own method is found by name, as grpc-dotnet does, so each call still gets a
/// service instance of its own from dependency injection.
/// </summary>
public sealed class CheckedRequestBinder<TService>(ServiceMethodProviderContext<TService> context, Type serviceBase) : ServiceBinderBase where TService : class
{
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
        context.AddUnaryMethod(Checked(method), Metadata(method.Name, [typeof(TRequest), typeof(ServerCallContext)], out var invoker), Invoker<UnaryServerMethod<TService, TRequest, TResponse>>(invoker));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
        context.AddServerStreamingMethod(Checked(method), Metadata(method.Name, [typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)], out var invoker),
            Invoker<ServerStreamingServerMethod<TService, TRequest, TResponse>>(invoker));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
        context.AddClientStreamingMethod(Checked(method), Metadata(method.Name, [typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)], out var invoker),
            Invoker<ClientStreamingServerMethod<TService, TRequest, TResponse>>(invoker));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
        context.AddDuplexStreamingMethod(Checked(method), Metadata(method.Name, [typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)], out var invoker),
            Invoker<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(invoker));

    private static TDelegate Invoker<TDelegate>(MethodInfo method) where TDelegate : Delegate => (TDelegate)Delegate.CreateDelegate(typeof(TDelegate), method);

    /// <summary>The service's override of the generated method, and the endpoint metadata grpc-dotnet gives it (type, then method attributes, then POST only).</summary>
    private List<object> Metadata(string name, Type[] parameters, out MethodInfo method)
    {
        method = typeof(TService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters) is { IsVirtual: true } found
            && found.GetBaseDefinition().DeclaringType == serviceBase
            ? found
            : throw new InvalidOperationException($"{typeof(TService).Name} has no override of {serviceBase.Name}.{name}");
        return
        [
            .. typeof(TService).GetCustomAttributes(inherit: true),
            .. method.GetCustomAttributes(inherit: true),
            new Microsoft.AspNetCore.Routing.HttpMethodMetadata(["POST"], acceptCorsPreflight: true),
        ];
    }

    private static Method<TRequest, TResponse> Checked<TRequest, TResponse>(Method<TRequest, TResponse> method)
    {
        if (!typeof(IMessage).IsAssignableFrom(typeof(TRequest)))
        {
            return method;
        }

        var type = ((IMessage)Activator.CreateInstance(typeof(TRequest))!).Descriptor;
        var parse = method.RequestMarshaller.ContextualDeserializer;
        var marshaller = Marshallers.Create(method.RequestMarshaller.ContextualSerializer, payload => Parse(payload, type, parse));
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
    }

    private static TRequest Parse<TRequest>(DeserializationContext payload, MessageDescriptor type, Func<DeserializationContext, TRequest> parse)
    {
        RequestBytes.Check(UnsafeByteOperations.UnsafeWrap(payload.PayloadAsNewBuffer()), type);
        try
        {
            return parse(payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw Fields.Invalid(RequestBytes.Whole, $"is not a valid {type.FullName}: {e.Message}");
        }
    }
}
