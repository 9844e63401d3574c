package io.lattice.store;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@link Store} on a SQLite file; see {@link SqliteDatabase} for how connections are used. */
final class SqliteStore implements Store {

    private static final System.Logger LOG = System.getLogger("io.lattice.store");

    private final StoreUrl url;
    private final SqliteDatabase db;
    private final int schemaVersion;
    private final LedgerRepository ledger;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SqliteStore(StoreUrl url, SqliteDatabase db, int schemaVersion) {
        this.url = url;
        this.db = db;
        this.schemaVersion = schemaVersion;
        this.ledger = new JdbcLedgerRepository(db);
    }

    static SqliteStore open(StoreUrl url, StoreOptions options) {
        SqliteDatabase db = SqliteDatabase.open(url.path(), options);
        try {
            int version = Migrations.migrate(db, Migrations.load(db.dialect()), options.clock());
            LOG.log(Level.DEBUG, "opened {0} at schema version {1}", url, version);
            return new SqliteStore(url, db, version);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    @Override
    public LedgerRepository ledger() {
        return ledger;
    }

    @Override
    public int schemaVersion() {
        return schemaVersion;
    }

    @Override
    public String url() {
        return url.toString();
    }

    SqliteDatabase database() {
        return db;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            db.close();
        }
    }

    @Override
    public String toString() {
        return "SqliteStore[" + url + ", schema version " + schemaVersion + (closed.get() ? ", closed]" : "]");
    }
}
