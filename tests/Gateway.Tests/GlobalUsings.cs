global using Grpc.Core;
global using MarginOrleans.Api.V1;
global using MarginOrleans.Tests.Support;
global using Xunit;
