using Spectre.Console;
using Spectre.Console.Rendering;

namespace MarginOrleans.Cli.Tests;

/// <summary>What a table looks like on a terminal of a given width, as plain text (no colours, no ANSI codes).</summary>
public static class Drawing
{
    public static string Draw(IRenderable renderable, int width)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        console.Write(renderable);
        return output.ToString();
    }
}
