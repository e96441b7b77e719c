global using Grpc.Core;
global using MarginOrleans.Api.V1;
global using MarginOrleans.Tests.Support;
global using Microsoft.Playwright;
global using Xunit;
global using static Microsoft.Playwright.Assertions;
