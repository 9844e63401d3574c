package io.lattice.store;

import java.util.Collection;
import java.util.List;

/**
 * The ledger: one entry per request, durable once a call returns.
 *
 * <p>Implementations are thread-safe. Writes are synchronous and cost a disk sync; on a request path
 * use a {@link LedgerWriter} in front. Methods throw {@link StoreException} when the database fails
 * and {@link IllegalStateException} once the store is closed.
 */
public interface LedgerRepository {

    /**
     * Writes one entry, idempotently: when an entry with the same {@code (tenant, requestId)} is
     * already there, nothing changes (the first one wins).
     *
     * @return true when the entry was added, false when it was already there
     */
    boolean append(LedgerEntry entry);

    /**
     * Writes entries in one transaction (all or none), each idempotently as in {@link #append}; a
     * repeated key inside {@code entries} also counts once.
     *
     * @return how many entries were added
     */
    int appendAll(Collection<LedgerEntry> entries);

    /**
     * The entries the query matches, newest first (ties broken by request id, descending), at most
     * {@link LedgerQuery#limit()} of them.
     */
    List<LedgerEntry> list(LedgerQuery query);

    /**
     * The sums over every entry the query matches (the limit does not apply), read from one
     * consistent snapshot; per site too when {@link LedgerQuery#groupBySite()}.
     */
    LedgerTotals sum(LedgerQuery query);
}
