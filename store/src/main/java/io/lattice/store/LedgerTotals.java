package io.lattice.store;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What {@link LedgerRepository#sum} returns: the sums over every matching entry and, when the
 * query asked for it, the sums per site. Immutable.
 *
 * @param all    sums over every matching entry
 * @param bySite sums per site id, in site order; entries with no site (never placed) under
 *               {@link #NO_SITE}; empty unless the query was {@link LedgerQuery#groupedBySite()}
 */
public record LedgerTotals(LedgerFigures all, SortedMap<String, LedgerFigures> bySite) {

    /** The {@link #bySite} key of entries that ran at no site. */
    public static final String NO_SITE = "";

    public LedgerTotals {
        Objects.requireNonNull(all, "LedgerTotals: all must not be null");
        bySite = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(bySite,
                "LedgerTotals: bySite must not be null")));
    }
}
