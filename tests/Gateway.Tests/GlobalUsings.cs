global using Xunit;
global using Grpc.Core;
global using MarginOrleans.Api.V1;
global using MarginOrleans.Tests.Support;
