package io.lattice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {

    @TempDir
    Path dir;

    private static final Instant FIRST_OPEN = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant SECOND_OPEN = Instant.parse("2026-02-01T00:00:00Z");

    @Test
    void open_appliesEveryMigrationOnce_andReopenIsANoOp() throws SQLException {
        Path db = dir.resolve("lattice.db");
        try (Store s = Store.open("sqlite:" + db, StoreOptions.defaults().withClock(InstantSource.fixed(FIRST_OPEN)))) {
            assertThat(s.schemaVersion()).isEqualTo(Migrations.SCRIPTS.size());
        }
        List<String> first = schemaVersionRows(db);
        assertThat(first).containsExactly("1|V1__ledger.sql|" + FIRST_OPEN);

        try (Store s = Store.open("sqlite:" + db, StoreOptions.defaults().withClock(InstantSource.fixed(SECOND_OPEN)))) {
            assertThat(s.schemaVersion()).isEqualTo(1);
            s.ledger().append(Entries.simple("r1", "acme", 0));
        }
        assertThat(schemaVersionRows(db)).isEqualTo(first);
        try (Store s = Store.open(db.toString())) {
            assertThat(s.ledger().list(LedgerQuery.tenant("acme"))).hasSize(1);
        }
    }

    @Test
    void storesOpeningOneNewFileAtOnce_applyEachMigrationOnce() throws Exception {
        Path db = dir.resolve("lattice.db");
        int n = 4;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Store>> opened = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                opened.add(pool.submit(() -> {
                    start.await();
                    return Store.open("sqlite:" + db);
                }));
            }
            start.countDown();
            for (Future<Store> f : opened) {
                try (Store s = f.get(30, TimeUnit.SECONDS)) {
                    assertThat(s.schemaVersion()).isEqualTo(1);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(schemaVersionRows(db)).hasSize(1);
    }

    @Test
    void open_refusesADatabaseWrittenByANewerLattice() throws SQLException {
        Path db = dir.resolve("lattice.db");
        Store.open("sqlite:" + db).close();
        exec(db, "INSERT INTO schema_version VALUES (2, 'from the future', 'V2__future.sql', 'abc', '2030-01-01T00:00:00Z')");

        assertThatThrownBy(() -> Store.open("sqlite:" + db))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("is at schema version 2 but this Lattice knows versions up to 1")
                .hasMessageContaining(db.toString())
                .hasMessageContaining("newer Lattice");
    }

    @Test
    void open_refusesAMigrationEditedAfterItWasApplied() throws SQLException {
        Path db = dir.resolve("lattice.db");
        Store.open("sqlite:" + db).close();
        exec(db, "UPDATE schema_version SET checksum = 'deadbeef' WHERE version = 1");

        assertThatThrownBy(() -> Store.open("sqlite:" + db))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("V1__ledger.sql was changed after it was applied")
                .hasMessageContaining("deadbeef");
    }

    @Test
    void migrate_rollsBackAFailingScript_andLeavesTheVersionWhereItWas() throws SQLException {
        Path file = dir.resolve("x.db");
        List<Migrations.Migration> scripts = Migrations.parse(List.of("V1__a.sql", "V2__b.sql"), Map.of(
                "V1__a.sql", "CREATE TABLE a (x INTEGER);",
                "V2__b.sql", "CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);")::get);
        try (SqliteDatabase db = SqliteDatabase.open(file, StoreOptions.defaults())) {
            assertThatThrownBy(() -> Migrations.migrate(db, scripts, InstantSource.fixed(FIRST_OPEN)))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("applying migration V2__b.sql failed")
                    .hasMessageContaining("nowhere");
        }
        assertThat(schemaVersionRows(file)).containsExactly("1|V1__a.sql|" + FIRST_OPEN);
        assertThat(tables(file)).contains("a").doesNotContain("b");
    }

    @Test
    void parse_refusesBadNamesGapsAndMissingScripts() {
        assertThatThrownBy(() -> Migrations.parse(List.of("V1__a.sql", "V3__c.sql"), n -> "SELECT 1"))
                .hasMessageContaining("without gaps");
        assertThatThrownBy(() -> Migrations.parse(List.of("1_a.sql"), n -> "SELECT 1"))
                .hasMessageContaining("must be named V<n>__<lower_case_words>.sql");
        assertThatThrownBy(() -> Migrations.parse(List.of("V1__a.sql"), n -> null))
                .hasMessageContaining("is not on the class path");
    }

    @Test
    void scriptList_matchesTheScriptsInTheResourceFolder() throws IOException, URISyntaxException {
        Path folder = Path.of(MigrationsTest.class.getClassLoader().getResource("db/migration").toURI());
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().forEach(files::add);
        }
        assertThat(files).containsExactlyInAnyOrderElementsOf(Migrations.SCRIPTS);
    }

    @Test
    void loadedScripts_haveStableChecksumsWhateverTheLineEndings() {
        Migrations.Migration unix = Migrations.parse(List.of("V1__a.sql"), n -> "CREATE TABLE a (x INTEGER);\n").getFirst();
        Migrations.Migration windows = Migrations.parse(List.of("V1__a.sql"), n -> "CREATE TABLE a (x INTEGER);\r\n").getFirst();

        assertThat(windows.checksum()).isEqualTo(unix.checksum()).hasSize(64);
        assertThat(unix.description()).isEqualTo("a");
    }

    @Test
    void sqlScript_splitsAtSemicolonsOutsideQuotesAndComments() {
        String script = """
                -- a comment; with a semicolon
                CREATE TABLE t (s TEXT DEFAULT 'a;b', "odd;name" INTEGER); /* block; comment */
                INSERT INTO t (s) VALUES ('it''s; fine');

                ;
                """;

        assertThat(SqlScript.split(script)).containsExactly(
                "CREATE TABLE t (s TEXT DEFAULT 'a;b', \"odd;name\" INTEGER)",
                "INSERT INTO t (s) VALUES ('it''s; fine')");
        assertThatThrownBy(() -> SqlScript.split("SELECT 'open")).hasMessageContaining("unterminated ' quote");
    }

    static List<String> schemaVersionRows(Path db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, script, applied_at FROM schema_version ORDER BY version")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
            }
        }
        return rows;
    }

    static List<String> tables(Path db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    static void exec(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
