
namespace MarginOrleans.Gateway.Streaming;

/// <summary>What the streaming doors draw on, resolved once per connection.</summary>
public sealed record StreamSources(Callers Callers, IGrainFactory Grains, JournalFeed Journal, MarkFeed Marks, KnownMarkets Known, TimeProvider Time);
