package io.lattice.store;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * A SQLite file opened for Lattice.
 *
 * <p>Connections: SQLite lets one connection write at a time, so there is exactly one writer
 * connection, guarded by a lock; every write transaction starts with {@code BEGIN IMMEDIATE} so it
 * takes the file's write lock up front and another process's writer waits ({@code busy_timeout})
 * instead of failing half-way with {@code SQLITE_BUSY}. Reads go to a small pool of read-only
 * connections; in WAL mode they read a committed snapshot while the writer writes, so a ledger sum
 * never holds up request accounting.
 *
 * <p>Settings on every connection: {@code foreign_keys=ON}, {@code busy_timeout} from the options.
 * On the writer: {@code journal_mode=WAL} (kept in the file) and {@code synchronous=FULL}: a commit
 * survives power loss, not only a crash of the process; the ledger is money, and the
 * {@link LedgerWriter} batches so the sync cost is paid once per batch.
 *
 * <p>Transactions are begun and ended with plain SQL on connections left in auto-commit mode,
 * because the driver's own {@code setAutoCommit(false)} opens the next transaction straight after
 * each commit, which with {@code IMMEDIATE} would hold the write lock between writes.
 *
 * <p>Thread-safe.
 */
final class SqliteDatabase implements Database {

    private static final System.Logger LOG = System.getLogger("io.lattice.store");

    private final Path file;
    private final StoreOptions options;
    private final String jdbcUrl;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Connection writer;
    private final Semaphore readPermits;
    private final ConcurrentLinkedDeque<Connection> idleReaders = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private SqliteDatabase(Path file, StoreOptions options, Connection writer) {
        this.file = file;
        this.options = options;
        this.jdbcUrl = "jdbc:sqlite:" + file;
        this.writer = writer;
        this.readPermits = new Semaphore(options.readConnections(), true);
    }

    /**
     * Opens {@code file}, creating it and its directory when missing, and switches it to WAL.
     *
     * @throws StoreException when the directory cannot be created, the file is not a SQLite
     *                        database, or WAL cannot be turned on
     */
    static SqliteDatabase open(Path file, StoreOptions options) {
        try {
            Path dir = file.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new StoreException("cannot create the directory of SQLite store " + file + ": " + e, e);
        }
        if (Files.isDirectory(file)) {
            throw new StoreException("SQLite store " + file + " is a directory; give a file path such as "
                    + file.resolve(Store.DEFAULT_FILE_NAME));
        }
        SQLiteConfig config = baseConfig(options);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        Connection writer;
        try {
            writer = config.createConnection("jdbc:sqlite:" + file);
        } catch (SQLException e) {
            throw new StoreException("cannot open SQLite store " + file + ": " + e.getMessage(), e);
        }
        SqliteDatabase db = new SqliteDatabase(file, options, writer);
        try {
            String mode = db.pragma("journal_mode");
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new StoreException("SQLite store " + file + " could not switch to WAL journal mode (it is '" + mode
                        + "'); WAL needs a local file system with shared memory, not a network share");
            }
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    private static SQLiteConfig baseConfig(StoreOptions options) {
        SQLiteConfig config = new SQLiteConfig();
        config.enforceForeignKeys(true);
        config.setBusyTimeout((int) options.busyTimeout().toMillis());
        return config;
    }

    @Override
    public <T> T write(String what, SqlWork<T> work) {
        writeLock.lock();
        try {
            ensureOpen();
            try {
                exec(writer, "BEGIN IMMEDIATE");
            } catch (SQLException e) {
                throw failure(what + " (begin)", e);
            }
            return inTransaction(writer, what, work);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public <T> T read(String what, SqlWork<T> work) {
        ensureOpen();
        boolean permitted;
        try {
            permitted = readPermits.tryAcquire(options.busyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(what + " on " + describe() + " was interrupted waiting for a read connection", e);
        }
        if (!permitted) {
            throw new StoreException(what + " on " + describe() + ": no read connection came free within "
                    + options.busyTimeout().toMillis() + " ms (all " + options.readConnections() + " in use)");
        }
        Connection c = null;
        boolean healthy = false;
        try {
            ensureOpen();
            c = idleReaders.pollFirst();
            if (c == null) {
                c = openReader(what);
            }
            try {
                exec(c, "BEGIN");
            } catch (SQLException e) {
                throw failure(what + " (begin)", e);
            }
            T result = inTransaction(c, what, work);
            healthy = true;
            return result;
        } finally {
            if (c != null) {
                if (healthy && !closed.get()) {
                    idleReaders.offerFirst(c);
                } else {
                    closeQuietly(c);
                }
                // close() may have drained the pool while this read ran
                if (closed.get() && idleReaders.remove(c)) {
                    closeQuietly(c);
                }
            }
            readPermits.release();
        }
    }

    /** Runs {@code work} inside the transaction already begun on {@code c}; commits or rolls back. */
    private <T> T inTransaction(Connection c, String what, SqlWork<T> work) {
        T result;
        try {
            result = work.run(c);
        } catch (SQLException e) {
            rollbackQuietly(c, what);
            throw failure(what, e);
        } catch (RuntimeException | Error e) {
            rollbackQuietly(c, what);
            throw e;
        }
        try {
            exec(c, "COMMIT");
        } catch (SQLException e) {
            rollbackQuietly(c, what);
            throw failure(what + " (commit)", e);
        }
        return result;
    }

    private Connection openReader(String what) {
        SQLiteConfig config = baseConfig(options);
        config.setReadOnly(true);
        try {
            return config.createConnection(jdbcUrl);
        } catch (SQLException e) {
            throw failure(what + " (opening a read connection)", e);
        }
    }

    /** The value of {@code PRAGMA name} on the writer connection; for checks and tests. */
    String pragma(String name) {
        if (!name.matches("[a-z_]+")) {
            throw new IllegalArgumentException("pragma name must be lower-case letters and _ but was '" + name + "'");
        }
        writeLock.lock();
        try {
            ensureOpen();
            try (Statement st = writer.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
                return rs.next() ? rs.getString(1) : null;
            } catch (SQLException e) {
                throw failure("PRAGMA " + name, e);
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public String dialect() {
        return "sqlite";
    }

    @Override
    public String describe() {
        return "SQLite store " + file;
    }

    Path file() {
        return file;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // wait (bounded) for reads in flight, so their connections are closed here, not leaked
        boolean drained = false;
        try {
            drained = readPermits.tryAcquire(options.readConnections(), options.busyTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Connection c;
        while ((c = idleReaders.pollFirst()) != null) {
            closeQuietly(c);
        }
        if (!drained) {
            LOG.log(Level.WARNING, "closing {0} while reads are still running; their connections close when they end",
                    describe());
        }
        writeLock.lock();
        try {
            closeQuietly(writer);
        } finally {
            writeLock.unlock();
        }
        if (drained) {
            readPermits.release(options.readConnections());
        }
        LOG.log(Level.DEBUG, "closed {0}", describe());
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException(describe() + " is closed");
        }
    }

    private StoreException failure(String what, SQLException e) {
        return new StoreException(what + " failed on " + describe() + ": " + e.getMessage(), e);
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private void rollbackQuietly(Connection c, String what) {
        try {
            exec(c, "ROLLBACK");
        } catch (SQLException e) {
            // SQLite may already have rolled back (for example after SQLITE_FULL); nothing left to undo
            LOG.log(Level.DEBUG, () -> "rollback after failed " + what + " on " + describe() + ": " + e.getMessage());
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, () -> "closing a SQLite connection failed: " + e.getMessage());
        }
    }
}
