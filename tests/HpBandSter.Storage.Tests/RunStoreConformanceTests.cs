using HpBandSter.Orleans.Storage;

namespace HpBandSter.Storage.Tests;

/// <summary>
/// What every <see cref="IRunStore"/> must do. A subclass gives each test its own empty storage (a file, a schema)
/// and raw access to it for simulating corruption.
/// </summary>
public abstract class RunStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly List<IRunStore> stores = [];

    /// <summary>The store every test uses (initialized).</summary>
    protected IRunStore Store { get; private set; } = null!;

    /// <summary>Prepares this test's empty storage.</summary>
    protected abstract Task CreateStorageAsync();

    /// <summary>Removes this test's storage.</summary>
    protected abstract Task DropStorageAsync();

    /// <summary>A new, not yet initialized, store over this test's storage (as another silo would open it).</summary>
    protected abstract IRunStore NewStore();

    /// <summary>Runs SQL against this test's storage.</summary>
    protected abstract Task ExecuteRawAsync(string sql);

    /// <summary>Runs a query returning one number against this test's storage.</summary>
    protected abstract Task<long> ScalarRawAsync(string sql);

    /// <summary>The backend's name of a table (journal, runs, snapshots, schema_version).</summary>
    protected abstract string Table(string name);

    public async Task InitializeAsync()
    {
        await CreateStorageAsync();
        Store = Open();
        await Store.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var store in stores)
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }

        await DropStorageAsync();
    }

    protected IRunStore Open()
    {
        var store = NewStore();
        stores.Add(store);
        return store;
    }

    protected static RunHeader Header(string runId, int minute = 0) => new(runId, $$"""{"objective":"branin","run":"{{runId}}"}""", T0.AddMinutes(minute));

    protected static RunSummary Summary(string runId, string state = "running", int finished = 0, double? best = null, int minute = 0) =>
        new(runId, state, "branin", "bohb", finished, 100, best, T0.AddMinutes(minute), T0.AddMinutes(minute).AddSeconds(finished));

    protected static JournalEntry[] Entries(long first, int count, string tag = "x") =>
        Enumerable.Range(0, count).Select(i => new JournalEntry(first + i, "told", $$"""{"seq":{{first + i}},"tag":"{{tag}}"}""")).ToArray();

    protected async Task CreateAsync(string runId, int minute = 0)
    {
        Assert.True(await Store.CreateRunAsync(Header(runId, minute), Summary(runId, minute: minute)), $"run {runId} was not created");
    }

    [Fact]
    public async Task Created_run_reads_back()
    {
        var header = Header("r1");
        var summary = Summary("r1", best: 0.25);
        Assert.True(await Store.CreateRunAsync(header, summary));

        var run = await Store.ReadAsync("r1");
        Assert.NotNull(run);
        Assert.Equal(header, run.Header);
        Assert.Equal(summary, run.Summary);
        Assert.Empty(run.Entries);
        Assert.Null(run.Snapshot);
        Assert.Equal(0, run.LastSequence);
        Assert.Null(await Store.ReadAsync("missing"));
    }

    [Fact]
    public async Task Creating_a_run_twice_returns_false_and_changes_nothing()
    {
        await CreateAsync("r1");
        Assert.False(await Store.CreateRunAsync(new RunHeader("r1", "{}", T0.AddDays(1)), Summary("r1", "completed", 7)));
        var run = await Store.ReadAsync("r1");
        Assert.Equal(Header("r1"), run!.Header);
        Assert.Equal(Summary("r1"), run.Summary);
    }

    [Fact]
    public async Task Appends_read_back_in_order_with_the_latest_summary()
    {
        await CreateAsync("r1");
        await Store.AppendAsync("r1", Entries(1, 3), Summary("r1", finished: 3));
        await Store.AppendAsync("r1", Entries(4, 1), Summary("r1", finished: 4, best: 1.5));
        await Store.AppendAsync("r1", Entries(5, 5), Summary("r1", "completed", 9, 0.5));

        var run = await Store.ReadAsync("r1");
        Assert.Equal(Entries(1, 9), run!.Entries);
        Assert.Equal(Summary("r1", "completed", 9, 0.5), run.Summary);
        Assert.Equal(9, run.LastSequence);

        var tail = await Store.ReadAsync("r1", fromSequence: 6);
        Assert.Equal(Entries(7, 3), tail!.Entries);
    }

    [Fact]
    public async Task Snapshot_plus_tail_or_the_whole_journal()
    {
        await CreateAsync("r1");
        await Store.AppendAsync("r1", Entries(1, 5), Summary("r1", finished: 5));
        await Store.SaveSnapshotAsync("r1", 3, new byte[] { 1, 2, 3 });
        await Store.SaveSnapshotAsync("r1", 4, new byte[] { 4, 4 });
        await Store.SaveSnapshotAsync("r1", 2, new byte[] { 9 }); // older: ignored
        await Store.AppendAsync("r1", Entries(6, 2), Summary("r1", finished: 7));

        var run = await Store.ReadAsync("r1");
        Assert.Equal(4, run!.SnapshotSequence);
        Assert.Equal(new byte[] { 4, 4 }, run.Snapshot);
        Assert.Equal(Entries(5, 3), run.Entries);
        Assert.Equal(7, run.LastSequence);

        var all = await Store.ReadAsync("r1", useSnapshot: false);
        Assert.Null(all!.Snapshot);
        Assert.Equal(0, all.SnapshotSequence);
        Assert.Equal(Entries(1, 7), all.Entries);

        var later = await Store.ReadAsync("r1", fromSequence: 5);
        Assert.Null(later!.Snapshot);
        Assert.Equal(Entries(6, 2), later.Entries);

        await Store.SaveSnapshotAsync("r1", 7, new byte[] { 7 });
        var atEnd = await Store.ReadAsync("r1");
        Assert.Equal(7, atEnd!.LastSequence);
        Assert.Empty(atEnd.Entries);
    }

    [Fact]
    public async Task Snapshot_beyond_the_journal_or_of_a_missing_run_is_refused()
    {
        await CreateAsync("r1");
        await Store.AppendAsync("r1", Entries(1, 2), Summary("r1"));
        var beyond = await Assert.ThrowsAsync<RunStoreException>(() => Store.SaveSnapshotAsync("r1", 3, new byte[] { 1 }));
        Assert.Contains("r1", beyond.Message);
        await Assert.ThrowsAsync<RunStoreException>(() => Store.SaveSnapshotAsync("missing", 0, new byte[] { 1 }));
        Assert.Null((await Store.ReadAsync("r1"))!.Snapshot);
    }

    [Theory]
    [InlineData(5)] // gap
    [InlineData(3)] // overlap
    [InlineData(1)] // restart
    public async Task A_non_continuing_append_conflicts_and_writes_nothing(long first)
    {
        await CreateAsync("r1");
        await Store.AppendAsync("r1", Entries(1, 3), Summary("r1", finished: 3));

        var conflict = await Assert.ThrowsAsync<RunStoreConflictException>(() => Store.AppendAsync("r1", Entries(first, 2, "late"), Summary("r1", "completed", 99)));
        Assert.Equal("r1", conflict.RunId);
        Assert.Equal(4, conflict.Expected);
        Assert.Equal(first, conflict.Attempted);

        var run = await Store.ReadAsync("r1", useSnapshot: false);
        Assert.Equal(Entries(1, 3), run!.Entries);
        Assert.Equal(Summary("r1", finished: 3), run.Summary);
        Assert.Equal(3, await ScalarRawAsync($"SELECT count(*) FROM {Table("journal")}"));

        await Store.AppendAsync("r1", Entries(4, 1), Summary("r1", finished: 4));
        Assert.Equal(4, (await Store.ReadAsync("r1"))!.LastSequence);
    }

    [Fact]
    public async Task Appending_to_a_missing_run_fails_without_conflict()
    {
        var error = await Assert.ThrowsAsync<RunStoreException>(() => Store.AppendAsync("ghost", Entries(1, 1), Summary("ghost")));
        Assert.IsNotType<RunStoreConflictException>(error);
        Assert.Contains("ghost", error.Message);
    }

    [Fact]
    public async Task Non_consecutive_entries_in_one_append_are_rejected()
    {
        await CreateAsync("r1");
        JournalEntry[] entries = [new(1, "a", "{}"), new(3, "a", "{}")];
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync("r1", entries, Summary("r1")));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync("r1", [new(1, new string('k', 33), "{}")], Summary("r1")));
        Assert.Empty((await Store.ReadAsync("r1"))!.Entries);
    }

    [Fact]
    public async Task Concurrent_appenders_to_different_runs_all_land()
    {
        const int runs = 8, appends = 200;
        for (var r = 0; r < runs; r++)
        {
            await CreateAsync($"run{r}", r);
        }

        await Task.WhenAll(Enumerable.Range(0, runs).Select(r => Task.Run(async () =>
        {
            var id = $"run{r}";
            for (var i = 1; i <= appends; i++)
            {
                await Store.AppendAsync(id, Entries(i, 1, id), Summary(id, finished: i));
            }
        })));

        for (var r = 0; r < runs; r++)
        {
            var id = $"run{r}";
            var run = await Store.ReadAsync(id);
            Assert.Equal(Entries(1, appends, id), run!.Entries);
            Assert.Equal(appends, run.Summary.Finished);
        }
    }

    [Fact]
    public async Task Racing_appenders_on_one_run_exactly_one_wins_each_sequence()
    {
        await CreateAsync("r1");
        var other = Open(); // as a second silo would
        await other.InitializeAsync();
        var contenders = new[] { Store, other, Store };
        var winners = new List<string>();
        for (var seq = 1; seq <= 40; seq += 2)
        {
            var attempts = contenders.Select((store, c) => Task.Run(() => store.AppendAsync("r1", Entries(seq, 2, $"c{c}"), Summary("r1", finished: seq)))).ToArray();
            try
            {
                await Task.WhenAll(attempts);
            }
            catch (RunStoreConflictException)
            {
            }

            var won = attempts.Select((t, c) => (t, c)).Where(a => a.t.IsCompletedSuccessfully).ToList();
            Assert.True(won.Count == 1, $"sequence {seq}: {won.Count} appends won");
            foreach (var lost in attempts.Where(t => !t.IsCompletedSuccessfully))
            {
                Assert.IsType<RunStoreConflictException>(lost.Exception!.InnerException);
            }

            winners.Add($"c{won[0].c}");
        }

        var run = await Store.ReadAsync("r1");
        Assert.Equal(40, run!.Entries.Count);
        for (var i = 0; i < winners.Count; i++)
        {
            Assert.Contains($"\"tag\":\"{winners[i]}\"", run.Entries[2 * i].Payload);
            Assert.Contains($"\"tag\":\"{winners[i]}\"", run.Entries[(2 * i) + 1].Payload);
        }
    }

    [Fact]
    public async Task A_batch_that_fails_midway_writes_nothing_and_spares_other_callers()
    {
        await CreateAsync("r1");
        await CreateAsync("r2", 1);
        await Store.AppendAsync("r1", Entries(1, 3), Summary("r1", finished: 3));

        // A stray row at sequence 5 makes an append of 4..6 fail at its second entry.
        await ExecuteRawAsync($"INSERT INTO {Table("journal")} (run_id, seq, kind, payload) VALUES ('r1', 5, 'stray', '{{}}')");
        var torn = Store.AppendAsync("r1", Entries(4, 3, "torn"), Summary("r1", "completed", 6));
        var fine = Store.AppendAsync("r2", Entries(1, 2), Summary("r2", finished: 2));

        await Assert.ThrowsAsync<RunStoreException>(() => torn);
        await fine;
        Assert.Equal(0, await ScalarRawAsync($"SELECT count(*) FROM {Table("journal")} WHERE run_id = 'r1' AND seq IN (4, 6)"));
        Assert.Equal(3, await ScalarRawAsync($"SELECT last_seq FROM {Table("runs")} WHERE id = 'r1'"));
        Assert.Equal("running", (await Store.ListRunsAsync()).Single(s => s.RunId == "r1").State);
        Assert.Equal(Entries(1, 2), (await Store.ReadAsync("r2"))!.Entries);
    }

    [Fact]
    public async Task A_gap_in_the_stored_journal_is_reported_with_run_and_sequence()
    {
        await CreateAsync("r1");
        await Store.AppendAsync("r1", Entries(1, 5), Summary("r1"));
        await ExecuteRawAsync($"DELETE FROM {Table("journal")} WHERE run_id = 'r1' AND seq = 3");

        var error = await Assert.ThrowsAsync<RunStoreException>(() => Store.ReadAsync("r1"));
        Assert.Contains("'r1'", error.Message);
        Assert.Contains("sequence 3", error.Message);

        await ExecuteRawAsync($"DELETE FROM {Table("journal")} WHERE run_id = 'r1' AND seq > 3");
        var truncated = await Assert.ThrowsAsync<RunStoreException>(() => Store.ReadAsync("r1"));
        Assert.Contains("sequence 3", truncated.Message);
    }

    [Fact]
    public async Task A_garbage_payload_is_reported_with_run_and_sequence()
    {
        await CreateAsync("r1");
        await Store.AppendAsync("r1", Entries(1, 5), Summary("r1"));
        await ExecuteRawAsync($"UPDATE {Table("journal")} SET payload = '{{\"torn\":' WHERE run_id = 'r1' AND seq = 4");

        var error = await Assert.ThrowsAsync<RunStoreException>(() => Store.ReadAsync("r1"));
        Assert.Contains("'r1'", error.Message);
        Assert.Contains("sequence 4", error.Message);
        Assert.Equal(Entries(5, 1), (await Store.ReadAsync("r1", fromSequence: 4))!.Entries);
    }

    [Fact]
    public async Task Initialize_twice_and_concurrently_is_fine()
    {
        await CreateAsync("r1");
        await Store.AppendAsync("r1", Entries(1, 2), Summary("r1"));
        await Store.InitializeAsync();
        var more = Enumerable.Range(0, 4).Select(_ => Open()).ToList();
        await Task.WhenAll(more.Select(s => Task.Run(() => s.InitializeAsync())));
        Assert.Equal(Entries(1, 2), (await more[0].ReadAsync("r1"))!.Entries);
    }

    [Fact]
    public async Task Concurrent_first_initialization_is_fine()
    {
        await DropStorageAsync();
        await CreateStorageAsync();
        var fresh = Enumerable.Range(0, 4).Select(_ => Open()).ToList();
        await Task.WhenAll(fresh.Select(s => Task.Run(() => s.InitializeAsync())));
        Assert.True(await fresh[1].CreateRunAsync(Header("r1"), Summary("r1")));
        Assert.False(await fresh[2].CreateRunAsync(Header("r1"), Summary("r1")));
    }

    [Fact]
    public async Task A_newer_schema_is_refused_and_left_untouched()
    {
        await DropStorageAsync();
        await CreateStorageAsync();
        await ExecuteRawAsync($"CREATE TABLE {Table("schema_version")} (id INTEGER PRIMARY KEY, version INTEGER NOT NULL)");
        await ExecuteRawAsync($"INSERT INTO {Table("schema_version")} (id, version) VALUES (1, 99)");
        var before = await FingerprintAsync();

        var store = Open();
        var error = await Assert.ThrowsAsync<RunStoreException>(() => store.InitializeAsync());
        Assert.Contains("newer HpBandSter.Orleans", error.Message);
        Assert.Contains("v99", error.Message);
        Assert.Contains("up to v2", error.Message);
        Assert.Equal(99, await ScalarRawAsync($"SELECT version FROM {Table("schema_version")}"));
        Assert.Equal(before, await FingerprintAsync());
    }

    /// <summary>Something that changes when the storage is written (the tables, or the file's bytes).</summary>
    protected abstract Task<string> FingerprintAsync();

    [Fact]
    public async Task Lists_are_newest_first_and_unfinished_means_running()
    {
        await CreateAsync("old", 0);
        await CreateAsync("mid", 5);
        await CreateAsync("new", 10);
        await Store.AppendAsync("mid", Entries(1, 1), Summary("mid", "completed", 1, minute: 5));
        await Store.AppendAsync("new", Entries(1, 1), Summary("new", "cancelled", 1, minute: 10));

        var list = await Store.ListRunsAsync();
        Assert.Equal(["new", "mid", "old"], list.Select(s => s.RunId));
        Assert.Equal(Summary("mid", "completed", 1, minute: 5), list[1]);
        Assert.Equal(["old"], await Store.ListUnfinishedRunIdsAsync("service"));
    }

    [Fact]
    public async Task A_service_brings_back_its_own_unfinished_runs_and_those_of_no_service_only()
    {
        Assert.True(await Store.CreateRunAsync(Header("ours", 0), Summary("ours", minute: 0) with { Owner = "a" }));
        Assert.True(await Store.CreateRunAsync(Header("theirs", 1), Summary("theirs", minute: 1) with { Owner = "b" }));
        await CreateAsync("nobodys", 2);

        Assert.Equal(["nobodys", "ours"], await Store.ListUnfinishedRunIdsAsync("a"));
        Assert.Equal(["nobodys", "theirs"], await Store.ListUnfinishedRunIdsAsync("b"));
        Assert.Equal(["nobodys"], await Store.ListUnfinishedRunIdsAsync("c"));

        // The service that writes a run last owns it (a run resumed by another process moves there).
        await Store.AppendAsync("theirs", Entries(1, 1), Summary("theirs", minute: 1) with { Owner = "a" });
        Assert.Equal(["nobodys", "theirs", "ours"], await Store.ListUnfinishedRunIdsAsync("a"));
        Assert.Equal("a", (await Store.ReadAsync("theirs"))!.Summary.Owner);
        Assert.Equal("a", (await Store.ListRunsAsync()).Single(r => r.RunId == "ours").Owner);
    }

    [Fact]
    public async Task A_version_1_store_is_upgraded_and_its_runs_belong_to_no_service()
    {
        await DropStorageAsync();
        await CreateStorageAsync();
        await ExecuteRawAsync($"CREATE TABLE {Table("schema_version")} (id INTEGER PRIMARY KEY, version INTEGER NOT NULL)");
        await ExecuteRawAsync($"INSERT INTO {Table("schema_version")} (id, version) VALUES (1, 1)");
        await ExecuteRawAsync($"""
            CREATE TABLE {Table("runs")} (id TEXT NOT NULL PRIMARY KEY, spec TEXT NOT NULL, created BIGINT NOT NULL,
                last_seq BIGINT NOT NULL DEFAULT 0, state TEXT NOT NULL, objective TEXT NOT NULL, optimizer TEXT NOT NULL,
                finished INTEGER NOT NULL, planned INTEGER NOT NULL, best_loss DOUBLE PRECISION,
                summary_created BIGINT NOT NULL, updated BIGINT NOT NULL)
            """);
        await ExecuteRawAsync($"INSERT INTO {Table("runs")} (id, spec, created, state, objective, optimizer, finished, planned, summary_created, updated) VALUES ('v1', '{{}}', {T0.UtcTicks}, 'running', 'branin', 'bohb', 0, 100, {T0.UtcTicks}, {T0.UtcTicks})");

        var store = Open();
        await store.InitializeAsync();

        Assert.Equal(2, await ScalarRawAsync($"SELECT version FROM {Table("schema_version")}"));
        Assert.Equal(["v1"], await store.ListUnfinishedRunIdsAsync("any"));
        Assert.Equal("", (await store.ReadAsync("v1"))!.Summary.Owner);
        await store.AppendAsync("v1", Entries(1, 1), Summary("v1") with { Owner = "new" });
        Assert.Equal(["v1"], await store.ListUnfinishedRunIdsAsync("new"));
        Assert.Empty(await store.ListUnfinishedRunIdsAsync("any"));

        // Opening it again (another silo) changes nothing.
        await Open().InitializeAsync();
        Assert.Equal("new", (await store.ReadAsync("v1"))!.Summary.Owner);
    }

    [Fact]
    public void Description_names_the_store()
    {
        Assert.False(string.IsNullOrWhiteSpace(Store.Description));
    }
}
