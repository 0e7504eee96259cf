using System.Data.Common;
using Npgsql;

namespace HpBandSter.Orleans.PostgreSql;

/// <summary>Connection strings in messages: where they point (host, port, database, user), never the password.</summary>
public static partial class PostgresConnectionText
{
    private static readonly string[] SecretKeys = ["Password", "Pwd", "PSW"];

    /// <summary>
    /// Parses <paramref name="connectionString"/> as an Npgsql connection string.
    /// </summary>
    /// <exception cref="ArgumentException">It is empty or not a valid Npgsql connection string; the message never holds the password.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException("The PostgreSQL connection string is empty; give one such as \"Host=127.0.0.1;Port=5432;Database=hpbandster;Username=hpbandster;Password=...\".", nameof(connectionString));
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(builder.Host))
            {
                throw new ArgumentException($"The PostgreSQL connection string \"{Mask(connectionString)}\" names no Host.", nameof(connectionString));
            }

            return builder;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            if (e is ArgumentException { ParamName: nameof(connectionString) })
            {
                throw;
            }

            throw new ArgumentException($"The PostgreSQL connection string \"{Mask(connectionString)}\" is not valid: {Scrub(ParameterSuffix().Replace(e.Message, string.Empty), connectionString)}", nameof(connectionString));
        }
    }

    /// <summary>"host:port, database 'db', user 'name'": where a connection string points, for messages.</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            return $"PostgreSQL at {b.Host}:{b.Port}, database '{b.Database ?? b.Username ?? "(default)"}', user '{b.Username ?? Environment.UserName}'";
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            return $"PostgreSQL \"{Mask(connectionString)}\"";
        }
    }

    /// <summary>The connection string with every password value replaced by <c>***</c>; works on strings Npgsql rejects too.</summary>
    public static string Mask(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        try
        {
            var generic = new DbConnectionStringBuilder { ConnectionString = connectionString };
            foreach (var key in generic.Keys.Cast<string>().ToList())
            {
                if (SecretKeys.Any(s => string.Equals(s, key, StringComparison.OrdinalIgnoreCase)))
                {
                    generic[key] = "***";
                }
            }

            return generic.ConnectionString;
        }
        catch (ArgumentException)
        {
            // Not even key=value pairs: show nothing of it but its length.
            return $"(unparsable connection string, {connectionString.Length} characters)";
        }
    }

    /// <summary><paramref name="message"/> with the password of <paramref name="connectionString"/> (if any) replaced by <c>***</c>.</summary>
    public static string Scrub(string message, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(message);
        string? password = null;
        try
        {
            var generic = new DbConnectionStringBuilder { ConnectionString = connectionString };
            foreach (var key in SecretKeys)
            {
                if (generic.TryGetValue(key, out var value) && value is string { Length: > 0 } text)
                {
                    password = text;
                }
            }
        }
        catch (ArgumentException)
        {
            return message.Replace(connectionString, "(connection string)", StringComparison.Ordinal);
        }

        return password is null ? message : message.Replace(password, "***", StringComparison.Ordinal);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@" \(Parameter '[^']*'\)")]
    private static partial System.Text.RegularExpressions.Regex ParameterSuffix();
}
