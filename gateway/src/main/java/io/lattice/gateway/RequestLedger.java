package io.lattice.gateway;

import io.lattice.store.LedgerEntry;
import io.lattice.store.LedgerRepository;
import io.lattice.store.LedgerWriter;
import io.lattice.store.Store;
import java.lang.System.Logger.Level;

/**
 * The gateway's ledger: the {@link Store} it opened and the {@link LedgerWriter} in front of it, so
 * that recording a finished request never waits for a disk sync. Opened by {@link Gateway#start},
 * closed by {@link Gateway#close()}: writer first (everything accepted is written), then the store.
 *
 * <p>Thread-safe.
 */
final class RequestLedger implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RequestLedger.class.getName());

    private final Store store;
    private final LedgerWriter writer;

    private RequestLedger(Store store, LedgerWriter writer) {
        this.store = store;
        this.writer = writer;
    }

    /**
     * Opens the store at {@code url} (creating and migrating it when needed) and starts a writer.
     *
     * @throws IllegalArgumentException when the URL is malformed or not supported
     * @throws io.lattice.store.StoreException when the database cannot be opened
     */
    static RequestLedger open(String url) {
        Store store = Store.open(url);
        try {
            return new RequestLedger(store, LedgerWriter.start(store.ledger()));
        } catch (RuntimeException | Error e) {
            store.close();
            throw e;
        }
    }

    /** Where the ledger is, as the store names it ({@code sqlite:/abs/path}). */
    String url() {
        return store.url();
    }

    /** For reading: sums and listings. */
    LedgerRepository repository() {
        return store.ledger();
    }

    /**
     * Queues {@code entry} for writing and returns at once while the queue has room (at worst after
     * the writer's short offer timeout). A dropped entry is counted and logged by the writer.
     */
    void record(LedgerEntry entry) {
        if (!writer.submit(entry)) {
            LOG.log(Level.DEBUG, () -> "ledger entry " + entry.requestId() + " was not accepted (writer full or closed)");
        }
    }

    LedgerWriter.Stats stats() {
        return writer.stats();
    }

    /** Writes every accepted entry, then closes the store. Idempotent. */
    @Override
    public void close() {
        try {
            writer.close();
        } finally {
            store.close();
        }
    }
}
