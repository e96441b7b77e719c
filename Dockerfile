# Builds the silo and the gateway; docker-compose.yml picks the stage.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Silo -c Release -o /out/silo && dotnet publish src/Gateway -c Release -o /out/gateway

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS silo
WORKDIR /app
COPY --from=build /out/silo .
ENTRYPOINT ["dotnet", "MarginOrleans.Silo.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS gateway
WORKDIR /app
COPY --from=build /out/gateway .
ENTRYPOINT ["dotnet", "MarginOrleans.Gateway.dll", "--urls", "http://0.0.0.0:5080"]
