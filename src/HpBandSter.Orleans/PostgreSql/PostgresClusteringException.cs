namespace HpBandSter.Orleans.PostgreSql;

/// <summary>
/// The PostgreSQL clustering schema could not be ensured: the database is unreachable, refuses the credentials or
/// privileges, or holds a newer schema version. The message names host, port, database and user, never the password.
/// </summary>
public sealed class PostgresClusteringException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public PostgresClusteringException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
