package io.lattice.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Which ledger entries to list or sum: one tenant or all, a half-open time window
 * {@code [from, to)}, a row limit for {@link LedgerRepository#list}, and whether
 * {@link LedgerRepository#sum} also groups by site.
 *
 * <p>Time window: an entry matches when {@code from ≤ time < to}; a null bound is open. Bounds are
 * truncated to microseconds, as entry times are. Start from {@link #tenant(String)} or
 * {@link #allTenants()} and narrow with the {@code with…} methods; instances are immutable.
 *
 * @param tenant      the tenant whose entries match; null matches every tenant (operators only:
 *                    a tenant-facing endpoint must always set it)
 * @param from        inclusive lower bound; null for none
 * @param to          exclusive upper bound; null for none
 * @param limit       at most this many entries from {@link LedgerRepository#list}, 1 to
 *                    {@value #MAX_LIMIT}; {@link LedgerRepository#sum} ignores it
 * @param groupBySite whether {@link LedgerRepository#sum} also reports per-site totals
 */
public record LedgerQuery(String tenant, Instant from, Instant to, int limit, boolean groupBySite) {

    /** The limit a new query starts with. */
    public static final int DEFAULT_LIMIT = 100;
    /** The largest limit accepted. */
    public static final int MAX_LIMIT = 10_000;

    private static final String OWNER = "LedgerQuery";

    /**
     * @throws IllegalArgumentException when the tenant is blank, {@code from} is not before
     *                                  {@code to}, or the limit is out of range
     */
    public LedgerQuery {
        Checks.nullOrNotBlank(OWNER, "tenant", tenant);
        if (from != null) {
            Checks.epochMicros(OWNER, "from", from);
            from = from.truncatedTo(ChronoUnit.MICROS);
        }
        if (to != null) {
            Checks.epochMicros(OWNER, "to", to);
            to = to.truncatedTo(ChronoUnit.MICROS);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException(OWNER + ": from must be before to (the window is [from, to)) but from was "
                    + from + " and to was " + to);
        }
        Checks.between(OWNER, "limit", limit, 1, MAX_LIMIT);
    }

    /** Every entry of {@code tenant}, any time, limit {@value #DEFAULT_LIMIT}, no grouping. */
    public static LedgerQuery tenant(String tenant) {
        return new LedgerQuery(Checks.notBlank(OWNER, "tenant", tenant), null, null, DEFAULT_LIMIT, false);
    }

    /** Every entry of every tenant: for operators and audits, never for a tenant-facing call. */
    public static LedgerQuery allTenants() {
        return new LedgerQuery(null, null, null, DEFAULT_LIMIT, false);
    }

    /** This query with the inclusive lower bound {@code from} (null for none). */
    public LedgerQuery withFrom(Instant from) {
        return new LedgerQuery(tenant, from, to, limit, groupBySite);
    }

    /** This query with the exclusive upper bound {@code to} (null for none). */
    public LedgerQuery withTo(Instant to) {
        return new LedgerQuery(tenant, from, to, limit, groupBySite);
    }

    /** This query with the window {@code [from, to)}; either may be null. */
    public LedgerQuery between(Instant from, Instant to) {
        return new LedgerQuery(tenant, from, to, limit, groupBySite);
    }

    public LedgerQuery withLimit(int limit) {
        return new LedgerQuery(tenant, from, to, limit, groupBySite);
    }

    /** This query with per-site totals in {@link LedgerRepository#sum}. */
    public LedgerQuery groupedBySite() {
        return new LedgerQuery(tenant, from, to, limit, true);
    }

    /** Whether {@code entry} lies inside this query (tenant and window; the limit is not considered). */
    public boolean matches(LedgerEntry entry) {
        return (tenant == null || tenant.equals(entry.tenant()))
                && (from == null || !entry.time().isBefore(from))
                && (to == null || entry.time().isBefore(to));
    }
}
