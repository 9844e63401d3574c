package io.lattice.store;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Lattice's durable state: today the ledger; batches, files and shards later (issue 4).
 *
 * <p>Open one per process with {@link #open(String)} and share it: it is thread-safe and holds the
 * connections. Opening applies any pending schema migrations (see {@link #schemaVersion()}) and
 * refuses a database written by a newer Lattice. Close it last, after any {@link LedgerWriter}
 * in front of it.
 *
 * <p>Where the data lives by default: see {@link #defaultPath(Map, Path)}.
 */
public interface Store extends AutoCloseable {

    /** The file name inside the Lattice data directory. */
    String DEFAULT_FILE_NAME = "lattice.db";

    /**
     * Opens (creating when missing) the store at {@code url} with {@link StoreOptions#defaults()}.
     *
     * @param url {@code sqlite:/path/lattice.db}, {@code jdbc:sqlite:/path}, or a plain file path
     *            ({@code ~/} allowed); {@code postgres://…} is reserved for issue 4
     * @throws IllegalArgumentException when the URL is malformed or not supported yet
     * @throws StoreException           when the database cannot be opened or migrated, or its
     *                                  schema is newer than this code knows
     */
    static Store open(String url) {
        return open(url, StoreOptions.defaults());
    }

    /**
     * Opens (creating when missing) the store at {@code url}.
     *
     * @see #open(String)
     */
    static Store open(String url, StoreOptions options) {
        Objects.requireNonNull(options, "options must not be null");
        StoreUrl parsed = StoreUrl.parse(url, Path.of(System.getProperty("user.home")));
        return SqliteStore.open(parsed, options);
    }

    /** {@code sqlite:} and {@link #defaultPath(Map, Path)} for this process's environment and home. */
    static String defaultUrl() {
        return "sqlite:" + defaultPath(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * Where the store lives when none is given, first rule that applies:
     * <ol>
     *   <li>{@code $LATTICE_HOME/lattice.db} when {@code LATTICE_HOME} is set (not blank);</li>
     *   <li>{@code $XDG_DATA_HOME/lattice/lattice.db} when {@code XDG_DATA_HOME} is an absolute path
     *       (the XDG base-directory rule: a relative value is ignored);</li>
     *   <li>{@code ~/.local/share/lattice/lattice.db}.</li>
     * </ol>
     * The directory is created when the store is opened.
     *
     * @param env  environment variables (pass {@code System.getenv()})
     * @param home the user's home directory
     */
    static Path defaultPath(Map<String, String> env, Path home) {
        String latticeHome = env.get("LATTICE_HOME");
        if (latticeHome != null && !latticeHome.isBlank()) {
            return Path.of(latticeHome.strip()).toAbsolutePath().resolve(DEFAULT_FILE_NAME);
        }
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg.strip()).isAbsolute()) {
            return Path.of(xdg.strip(), "lattice", DEFAULT_FILE_NAME);
        }
        return home.resolve(".local").resolve("share").resolve("lattice").resolve(DEFAULT_FILE_NAME);
    }

    /** The ledger in this store. The same instance on every call. */
    LedgerRepository ledger();

    /** The schema version the database is at after opening: the newest migration this code has. */
    int schemaVersion();

    /** The canonical URL, for example {@code sqlite:/home/me/.local/share/lattice/lattice.db}. */
    String url();

    /**
     * Closes every connection, waiting for a write in progress to finish. Idempotent; afterwards
     * every call fails with {@link IllegalStateException}.
     */
    @Override
    void close();
}
