namespace HpBandSter.Orleans.PostgreSql;

/// <summary>
/// The project's own PostgreSQL schema for Orleans' ADO.NET clustering provider (membership and the client gateway
/// list): DDL and the query rows the provider reads from <c>orleansquery</c> at start. Written for this project from
/// the provider's contract (query keys, parameters, result columns), not copied from Orleans' setup scripts.
/// </summary>
/// <remarks>
/// Names are unquoted (lower case): the provider's start-up read is the unqualified <c>SELECT QueryKey, QueryText
/// FROM OrleansQuery</c>. Times are <c>timestamptz</c> (the provider sends UTC <see cref="DateTime"/> values as
/// timestamptz), versions <c>integer</c> (read with <c>Convert.ToInt32</c>), names and suspect times unbounded
/// <c>text</c>. Every version check, increment and row change is one statement, so it is atomic.
/// </remarks>
internal static class PostgresClusteringSql
{
    /// <summary>The schema version this code writes and understands.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Key of the transaction-scoped advisory lock that serialises schema creation ("hpbOrlSc").</summary>
    public const long AdvisoryLockKey = 0x68704F726C5363;

    /// <summary>The table holding this schema's version (one row).</summary>
    public const string VersionTable = "hpbandster_orleans_schema";

    /// <summary>Creates the version table if missing.</summary>
    public const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS hpbandster_orleans_schema (
            id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
            version integer NOT NULL,
            updated timestamptz NOT NULL DEFAULT now()
        );
        """;

    /// <summary>Reads the recorded schema version (no row: nothing recorded yet).</summary>
    public const string ReadVersion = "SELECT version FROM hpbandster_orleans_schema WHERE id = 1;";

    /// <summary>Records <see cref="SchemaVersion"/> (parameter <c>@Version</c>).</summary>
    public const string WriteVersion = """
        INSERT INTO hpbandster_orleans_schema (id, version, updated) VALUES (1, @Version, now())
        ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, updated = EXCLUDED.updated
        WHERE hpbandster_orleans_schema.version <> EXCLUDED.version;
        """;

    /// <summary>The query table (shared by every Orleans ADO.NET provider) and the membership tables.</summary>
    public const string CreateTables = """
        CREATE TABLE IF NOT EXISTS orleansquery (
            querykey text PRIMARY KEY,
            querytext text NOT NULL
        );

        CREATE TABLE IF NOT EXISTS hpbandster_orleans_membership_version (
            deploymentid text PRIMARY KEY,
            version integer NOT NULL DEFAULT 0,
            changed timestamptz NOT NULL DEFAULT now()
        );

        CREATE TABLE IF NOT EXISTS hpbandster_orleans_membership (
            deploymentid text NOT NULL REFERENCES hpbandster_orleans_membership_version (deploymentid) ON DELETE CASCADE,
            address text NOT NULL,
            port integer NOT NULL,
            generation integer NOT NULL,
            siloname text NOT NULL,
            hostname text NOT NULL,
            status integer NOT NULL,
            proxyport integer NOT NULL DEFAULT 0,
            suspecttimes text NULL,
            starttime timestamptz NOT NULL,
            iamalivetime timestamptz NOT NULL,
            PRIMARY KEY (deploymentid, address, port, generation)
        );
        """;

    /// <summary>Upserts one query row (parameters <c>@Key</c>, <c>@Text</c>); re-running changes nothing.</summary>
    public const string UpsertQuery = """
        INSERT INTO orleansquery (querykey, querytext) VALUES (@Key, @Text)
        ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext
        WHERE orleansquery.querytext IS DISTINCT FROM EXCLUDED.querytext;
        """;

    private const string MemberColumns = """
        v.deploymentid, m.address, m.port, m.generation, m.siloname, m.hostname, m.status, m.proxyport,
        m.suspecttimes, m.starttime, m.iamalivetime, v.version
        """;

    private const string SameSilo = "deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation";

    /// <summary>The query rows: key → text. The first nine are required by silos and clients alike.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> Queries =
    [
        // Creates the cluster's version row; true if this call created it. Never fails when it exists.
        new("InsertMembershipVersionKey", """
            WITH created AS (
                INSERT INTO hpbandster_orleans_membership_version (deploymentid, version, changed)
                VALUES (@DeploymentId, 0, now())
                ON CONFLICT (deploymentid) DO NOTHING
                RETURNING 1)
            SELECT count(*) > 0 FROM created;
            """),

        // The version row outer-joined to every member row (any status): one row with NULL member columns when empty.
        new("MembershipReadAllKey", $"""
            SELECT {MemberColumns}
            FROM hpbandster_orleans_membership_version v
            LEFT OUTER JOIN hpbandster_orleans_membership m ON m.deploymentid = v.deploymentid
            WHERE v.deploymentid = @DeploymentId;
            """),

        // As ReadAll for one silo; an unknown silo still yields the version row.
        new("MembershipReadRowKey", $"""
            SELECT {MemberColumns}
            FROM hpbandster_orleans_membership_version v
            LEFT OUTER JOIN hpbandster_orleans_membership m ON m.deploymentid = v.deploymentid
                AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
            WHERE v.deploymentid = @DeploymentId;
            """),

        // Version check, +1 and insert in one statement: false (and nothing changed) if the version moved on or the
        // silo's row exists. The version stops at int.MaxValue (the provider reads it as int32).
        new("InsertMembershipKey", $"""
            WITH bumped AS (
                UPDATE hpbandster_orleans_membership_version
                SET version = version + 1, changed = now()
                WHERE deploymentid = @DeploymentId AND version = @Version AND version < 2147483647
                  AND NOT EXISTS (SELECT 1 FROM hpbandster_orleans_membership WHERE {SameSilo})
                RETURNING deploymentid),
            inserted AS (
                INSERT INTO hpbandster_orleans_membership
                    (deploymentid, address, port, generation, siloname, hostname, status, proxyport, starttime, iamalivetime)
                SELECT deploymentid, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
                FROM bumped
                RETURNING 1)
            SELECT count(*) > 0 FROM inserted;
            """),

        // Version check, +1 and update of status, suspect times and I-am-alive time: false if the version moved on
        // or the row is missing.
        new("UpdateMembershipKey", $"""
            WITH bumped AS (
                UPDATE hpbandster_orleans_membership_version
                SET version = version + 1, changed = now()
                WHERE deploymentid = @DeploymentId AND version = @Version AND version < 2147483647
                  AND EXISTS (SELECT 1 FROM hpbandster_orleans_membership WHERE {SameSilo})
                RETURNING deploymentid),
            updated AS (
                UPDATE hpbandster_orleans_membership m
                SET status = @Status, suspecttimes = @SuspectTimes, iamalivetime = @IAmAliveTime
                FROM bumped
                WHERE m.deploymentid = bumped.deploymentid AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
                RETURNING 1)
            SELECT count(*) > 0 FROM updated;
            """),

        // Heartbeat: never touches the version.
        new("UpdateIAmAlivetimeKey", $"""
            UPDATE hpbandster_orleans_membership SET iamalivetime = @IAmAliveTime WHERE {SameSilo};
            """),

        // Gateways for clients: active silos with a gateway port.
        new("GatewaysQueryKey", """
            SELECT address, proxyport, generation
            FROM hpbandster_orleans_membership
            WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0;
            """),

        // Tests and tools: forget the cluster (members go with the version row).
        new("DeleteMembershipTableEntriesKey", """
            DELETE FROM hpbandster_orleans_membership_version WHERE deploymentid = @DeploymentId;
            """),

        // Bulk clean-up (used only when the per-row key is missing): dead silos whose start and last heartbeat are
        // older than the cut-off. Suspect times are opaque, so unlike the per-row key this does not look at them.
        new("CleanupDefunctSiloEntriesKey", """
            DELETE FROM hpbandster_orleans_membership
            WHERE deploymentid = @DeploymentId AND status = 6
              AND starttime < @IAmAliveTime AND iamalivetime < @IAmAliveTime;
            """),

        // Per-row clean-up: compare-and-delete of a dead silo's row exactly as the provider read it.
        new("CleanupDefunctSiloEntryKey", $"""
            DELETE FROM hpbandster_orleans_membership
            WHERE {SameSilo} AND status = 6
              AND starttime = @StartTime AND iamalivetime = @IAmAliveTime
              AND suspecttimes IS NOT DISTINCT FROM @SuspectTimes;
            """),
    ];
}
