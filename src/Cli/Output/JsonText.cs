using System.Text;
using System.Text.Json;

namespace HvDumpKit.Cli;

/// <summary>The --json output of every verb: one indented object, then a newline.</summary>
public static class JsonText
{
    public static string Object(Action<Utf8JsonWriter> body)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }
}
