package io.lattice.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.common.uri.UriQuery;
import io.lattice.api.ApiError;
import io.lattice.api.Json;
import io.lattice.store.LedgerEntry;
import io.lattice.store.LedgerFigures;
import io.lattice.store.LedgerQuery;
import io.lattice.store.LedgerTotals;
import io.lattice.store.LedgerWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /lattice/v1/ledger}: what the ledger says requests used, summed, optionally per site,
 * optionally with the latest entries. Parameters (all optional, each at most once):
 * <ul>
 *   <li>{@code tenant}: only this tenant's entries; absent: every tenant;</li>
 *   <li>{@code from}, {@code to}: ISO-8601 instants ({@code 2026-03-01T12:00:00Z}); an entry counts when
 *       {@code from ≤ time < to} (the time the gateway received the request);</li>
 *   <li>{@code by=site}: per-site sums as well;</li>
 *   <li>{@code limit}: also list the latest this many entries, newest first, 0 (default) to
 *       {@value #MAX_LIMIT}.</li>
 * </ul>
 * A bad or unknown parameter gets 400 OpenAI error JSON naming it. No authentication yet (issue 5
 * adds admin and tenant keys): this endpoint is for operators on a trusted network.
 *
 * <p>Stateless apart from the repository; thread-safe.
 */
final class LedgerApi {

    static final String PATH = "/lattice/v1/ledger";
    /** The most entries one call lists. */
    static final int MAX_LIMIT = 1000;

    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    private static final Set<String> PARAMETERS = Set.of("tenant", "from", "to", "by", "limit");

    private final RequestLedger ledger;

    LedgerApi(RequestLedger ledger) {
        this.ledger = ledger;
    }

    /** A parsed request: the query for the sums, and how many entries to list (0: none). */
    record Ask(LedgerQuery query, int limit) {
    }

    /**
     * Reads the parameters.
     *
     * @throws io.lattice.api.ApiException 400 naming the parameter at fault
     */
    static Ask parse(UriQuery params) {
        Set<String> unknown = new TreeSet<>(params.names());
        unknown.removeAll(PARAMETERS);
        if (!unknown.isEmpty()) {
            String name = unknown.iterator().next();
            throw ApiError.invalidField(name, "Unknown parameter '" + name + "' for GET " + PATH + "; known: by, from,"
                    + " limit, tenant, to.").toException();
        }
        String tenant = single(params, "tenant");
        if (tenant != null && tenant.isBlank()) {
            throw ApiError.invalidField("tenant", "'tenant' must not be blank; leave it out for every tenant.")
                    .toException();
        }
        Instant from = instant(params, "from");
        Instant to = instant(params, "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiError.invalidField("to", "'to' must be after 'from' (the window is [from, to)) but from was "
                    + from + " and to was " + to + ".").toException();
        }
        String by = single(params, "by");
        if (by != null && !by.equals("site")) {
            throw ApiError.invalidField("by", "'by' must be 'site' (per-site sums) but was '" + by + "'.")
                    .toException();
        }
        int limit = 0;
        String limitValue = single(params, "limit");
        if (limitValue != null) {
            try {
                limit = Integer.parseInt(limitValue.strip());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 0 || limit > MAX_LIMIT) {
                throw ApiError.invalidField("limit", "'limit' must be a whole number from 0 to " + MAX_LIMIT
                        + " (entries to list) but was '" + limitValue + "'.").toException();
            }
        }
        LedgerQuery query;
        try {
            query = (tenant == null ? LedgerQuery.allTenants() : LedgerQuery.tenant(tenant.strip()))
                    .between(from, to).withLimit(Math.max(1, limit));
        } catch (IllegalArgumentException e) {
            // from and to closer than the ledger's microsecond resolution
            throw ApiError.invalidField("to", "'to' must be at least a microsecond after 'from': " + e.getMessage())
                    .toException();
        }
        if (by != null) {
            query = query.groupedBySite();
        }
        return new Ask(query, limit);
    }

    private static String single(UriQuery params, String name) {
        if (!params.contains(name)) {
            return null;
        }
        List<String> values = params.all(name);
        if (values.size() > 1) {
            throw ApiError.invalidField(name, "'" + name + "' may be given once but was given " + values.size()
                    + " times.").toException();
        }
        return values.getFirst();
    }

    private static Instant instant(UriQuery params, String name) {
        String value = single(params, name);
        if (value == null) {
            return null;
        }
        Instant at;
        try {
            at = Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            at = null;
        }
        if (at == null || at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw ApiError.invalidField(name, "'" + name + "' must be an ISO-8601 instant from year 0 to 9999, such as"
                    + " 2026-03-01T12:00:00Z, but was '" + value + "'.").toException();
        }
        return at;
    }

    /** The answer: totals, per-site totals when asked, the latest entries when asked. */
    ObjectNode answer(Ask ask) {
        LedgerQuery q = ask.query();
        LedgerTotals totals = ledger.repository().sum(q);
        ObjectNode root = Json.object();
        root.put("object", "lattice.ledger");
        if (q.tenant() == null) {
            root.putNull("tenant");
        } else {
            root.put("tenant", q.tenant());
        }
        putInstant(root, "from", q.from());
        putInstant(root, "to", q.to());
        root.set("totals", figures(totals.all()));
        if (q.groupBySite()) {
            ObjectNode sites = root.putObject("by_site");
            for (Map.Entry<String, LedgerFigures> e : totals.bySite().entrySet()) {
                // entries never placed have no site; the gateway ledgers only placed requests, but say so if any
                sites.set(e.getKey().equals(LedgerTotals.NO_SITE) ? "(none)" : e.getKey(), figures(e.getValue()));
            }
        }
        // the writer's counters: whether the sums can be missing anything (queued, dropped or failed entries)
        LedgerWriter.Stats w = ledger.stats();
        ObjectNode writer = root.putObject("writer");
        writer.put("queued", w.queued());
        writer.put("written", w.written());
        writer.put("dropped", w.dropped());
        writer.put("failed", w.failed());
        if (ask.limit() > 0) {
            var entries = root.putArray("entries");
            for (LedgerEntry e : ledger.repository().list(q)) {
                entries.add(entry(e));
            }
        }
        return root;
    }

    private static void putInstant(ObjectNode o, String field, Instant at) {
        if (at == null) {
            o.putNull(field);
        } else {
            o.put(field, at.toString());
        }
    }

    /** Sums in the units of {@code usage.lattice}: J, gCO2e, USD, L, kWh_th. */
    static ObjectNode figures(LedgerFigures f) {
        ObjectNode o = Json.object();
        o.put("requests", f.requests());
        o.put("prompt_tokens", f.promptTokens());
        o.put("completion_tokens", f.completionTokens());
        o.put("tokens", f.totalTokens());
        o.put("energy_j", f.energyJ());
        o.put("carbon_g", f.carbonG());
        o.put("cost_usd", f.costUsd());
        o.put("water_l", f.waterL());
        o.put("heat_reused_kwh", f.heatReusedKwhTh());
        o.put("estimated_share", f.estimatedShare());
        return o;
    }

    static ObjectNode entry(LedgerEntry e) {
        ObjectNode o = Json.object();
        o.put("id", e.requestId());
        o.put("tenant", e.tenant());
        o.put("time", e.time().toString());
        o.put("endpoint", e.endpoint());
        o.put("model", e.model());
        o.put("node", e.node());
        o.put("site", e.site());
        o.put("jurisdiction", e.jurisdiction() == null ? null : e.jurisdiction().code());
        o.put("policy", e.policy());
        o.put("prompt_tokens", e.promptTokens());
        o.put("completion_tokens", e.completionTokens());
        o.put("energy_j", e.energyJ());
        o.put("carbon_g", e.carbonG());
        o.put("cost_usd", e.costUsd());
        o.put("water_l", e.waterL());
        o.put("heat_reused_kwh", e.heatReusedKwhTh());
        o.put("estimated", e.estimated());
        o.put("latency_ms", e.latencyMs());
        o.put("status", e.status().code());
        return o;
    }
}
