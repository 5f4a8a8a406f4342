namespace CloudsFor.Start;

/// <summary>
/// A reason a command cannot run that the operator can fix. Its message is one line that names the option to
/// change; Program prints it after "cloudsfor: " and exits 2, with no stack trace.
/// </summary>
public sealed class StartFailure(string message) : Exception(message.ReplaceLineEndings(" "))
{
    /// <summary>An exception's message as one line, without the "(Parameter 'x')" that argument errors append.</summary>
    public static string Reason(Exception e) =>
        (e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", "") : e.Message).ReplaceLineEndings(" ").TrimEnd('.');
}
