using System.Text;

namespace CloudsFor.Cli;

/// <summary>Passwords come from a prompt that does not echo, or from stdin; never from the command line, which `ps` shows to everyone.</summary>
public static class Secrets
{
    public static string ReadPassword(bool fromStdin, string prompt)
    {
        string? password;
        if (fromStdin)
            password = Console.In.ReadLine();
        else if (Console.IsInputRedirected)
            throw new UsageException("no terminal to ask for the password on: pipe it in with --password-stdin");
        else
            password = Prompt(prompt);
        return password is { Length: > 0 } ? password : throw new UsageException("the password is empty");
    }

    static string Prompt(string prompt)
    {
        Console.Error.Write(prompt);
        var typed = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
                break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (typed.Length > 0)
                    typed.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
                typed.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return typed.ToString();
    }
}
