namespace CloudsFor.Cli;

/// <summary>The exit codes the command line promises (docs/cli.md, `cloudsfor --help`).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int ApiError = 1;
    public const int Usage = 2;
    public const int Timeout = 3;
}

/// <summary>A failure the user can fix with another command line (or a login): exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Something the API answered or the network did that is not an ApiException (no VM of that name): exit code 1.</summary>
public sealed class CliFailure(string message) : Exception(message);

/// <summary>A --wait that ran past its --timeout: exit code 3.</summary>
public sealed class WaitTimeoutException(string message) : Exception(message);
