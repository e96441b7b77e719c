using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace MarginOrleans.Gateway;

/// <summary>
/// Binds every gRPC service the way grpc-dotnet's own provider does (through the generated
/// <c>BindService</c>), but with a request marshaller that checks the bytes first
/// (<see cref="CheckedRequestBinder{TService}"/>): grpc-dotnet parses a request before any
/// interceptor runs and reports the parser's exception as UNKNOWN, so this is the one place where a
/// malformed body can become InvalidArgument. It replaces grpc-dotnet's provider
/// (<see cref="GatewaySetup.AddMarginGatewayServices"/>); both would bind every method twice.
/// </summary>
public sealed class CheckedRequestProvider<TService> : IServiceMethodProvider<TService> where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        if (BindMethod(typeof(TService)) is { } bind)
        {
            bind.Method.Invoke(null, [new CheckedRequestBinder<TService>(context, bind.Base), null]);
        }
    }

    /// <summary>The generated <c>static void BindService(ServiceBinderBase, XBase)</c> the base class names in its attribute.</summary>
    private static (MethodInfo Method, Type Base)? BindMethod(Type service)
    {
        for (var type = service; type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>() is { } attribute)
            {
                var method = attribute.BindType.GetMethod(attribute.BindMethodName, BindingFlags.Public | BindingFlags.Static, [typeof(ServiceBinderBase), type]);
                return method is null ? null : (method, method.GetParameters()[1].ParameterType); // the generated base class
            }
        }

        return null;
    }
}
