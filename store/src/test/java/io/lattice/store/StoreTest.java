package io.lattice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {

    @TempDir
    Path dir;

    @Test
    void open_createsMissingDirectories_andTurnsOnWalForeignKeysAndBusyTimeout() throws SQLException {
        Path db = dir.resolve("a/b/lattice.db");
        try (Store store = Store.open("sqlite:" + db, StoreOptions.defaults().withBusyTimeout(java.time.Duration.ofMillis(1234)))) {
            SqliteDatabase sqlite = ((SqliteStore) store).database();
            assertThat(sqlite.pragma("journal_mode")).isEqualTo("wal");
            assertThat(sqlite.pragma("foreign_keys")).isEqualTo("1");
            assertThat(sqlite.pragma("busy_timeout")).isEqualTo("1234");
            assertThat(sqlite.pragma("synchronous")).isEqualTo("2"); // FULL
            assertThat(store.url()).isEqualTo("sqlite:" + db);
            store.ledger().append(Entries.simple("r1", "acme", 0));
            assertThat(Files.exists(Path.of(db + "-wal"))).as("the write went to the WAL file").isTrue();
        }
        // WAL is a property of the file: a fresh connection that sets nothing still sees it
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void open_refusesAFileThatIsNotADatabase_namingIt() throws IOException {
        Path db = dir.resolve("notes.db");
        Files.writeString(db, "these are my notes, not a database ".repeat(100), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Store.open(db.toString()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(db.toString())
                .hasMessageContaining("not a database");
    }

    @Test
    void open_refusesADirectory() {
        assertThatThrownBy(() -> Store.open("sqlite:" + dir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("is a directory");
    }

    @Test
    void open_refusesPostgresForNow() {
        assertThatThrownBy(() -> Store.open("postgres://db/lattice"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("PostgreSQL store arrives with batches (issue 4)");
    }

    @Test
    void close_isIdempotent_andLaterCallsFailClearly() {
        Store store = Store.open("sqlite:" + dir.resolve("lattice.db"));
        store.close();
        store.close();

        assertThatThrownBy(() -> store.ledger().append(Entries.simple("r1", "acme", 0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        assertThatThrownBy(() -> store.ledger().sum(LedgerQuery.tenant("acme")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void twoStoresOnOneFile_seeEachOthersCommits() {
        String url = "sqlite:" + dir.resolve("lattice.db");
        try (Store a = Store.open(url); Store b = Store.open(url)) {
            a.ledger().append(Entries.simple("r1", "acme", 0));
            b.ledger().append(Entries.simple("r2", "acme", 1));

            assertThat(a.ledger().sum(LedgerQuery.tenant("acme")).all().requests()).isEqualTo(2);
            assertThat(b.ledger().list(LedgerQuery.tenant("acme"))).extracting(LedgerEntry::requestId)
                    .containsExactly("r2", "r1");
        }
    }

    /**
     * A real crash: a child JVM appends, reports what it committed, and halts without closing the store
     * (no shutdown hooks, no WAL checkpoint). Everything committed must be there on reopen.
     */
    @Test
    void committedEntries_surviveAProcessThatHaltsWithoutClosing() throws Exception {
        Path db = dir.resolve("lattice.db");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(), db.toString(), "40"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(out).isEqualTo(CrashingWriter.HALT_STATUS);
        assertThat(out).contains("committed 40");
        assertThat(Files.exists(Path.of(db + "-wal"))).as("the WAL was left behind, as after a crash").isTrue();

        try (Store store = Store.open("sqlite:" + db)) {
            LedgerTotals t = store.ledger().sum(LedgerQuery.tenant("acme"));
            assertThat(t.all().requests()).isEqualTo(40);
            assertThat(t.all().promptTokens()).isEqualTo(40 * 10);
        }
    }
}
