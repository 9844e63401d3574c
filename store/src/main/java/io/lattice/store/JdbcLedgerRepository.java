package io.lattice.store;

import io.lattice.core.energy.Jurisdiction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The ledger over plain JDBC. The SQL is the subset SQLite (3.24+) and PostgreSQL (9.5+) share,
 * {@code INSERT … ON CONFLICT DO NOTHING} included, so the PostgreSQL store can reuse this class
 * over its own {@link Database}.
 *
 * <p>Thread-safe: every call is one transaction on {@link Database}.
 */
final class JdbcLedgerRepository implements LedgerRepository {

    private static final String COLUMNS = "tenant, request_id, at_epoch_us, endpoint, model, node, site, jurisdiction,"
            + " policy, prompt_tokens, completion_tokens, energy_j, carbon_g, cost_usd, water_l, heat_reused_kwh_th,"
            + " estimated, latency_ms, status";

    private static final String INSERT = "INSERT INTO ledger_entry (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (tenant, request_id) DO NOTHING";

    private static final String FIGURES = "COUNT(*), COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0),"
            + " COALESCE(SUM(energy_j), 0), COALESCE(SUM(carbon_g), 0), COALESCE(SUM(cost_usd), 0),"
            + " COALESCE(SUM(water_l), 0), COALESCE(SUM(heat_reused_kwh_th), 0),"
            + " COALESCE(SUM(CASE WHEN estimated THEN 1 ELSE 0 END), 0)";

    private final Database db;

    JdbcLedgerRepository(Database db) {
        this.db = Objects.requireNonNull(db);
    }

    @Override
    public boolean append(LedgerEntry entry) {
        Objects.requireNonNull(entry, "entry must not be null");
        return db.write("appending ledger entry " + entry.requestId(), c -> insert(c, List.of(entry))) == 1;
    }

    @Override
    public int appendAll(Collection<LedgerEntry> entries) {
        Objects.requireNonNull(entries, "entries must not be null");
        List<LedgerEntry> copy = List.copyOf(entries);     // rejects null elements before any write
        if (copy.isEmpty()) {
            return 0;
        }
        return db.write("appending " + copy.size() + " ledger entries", c -> insert(c, copy));
    }

    /** Inserts each entry, skipping existing keys; returns how many rows were added. */
    private static int insert(Connection c, List<LedgerEntry> entries) throws SQLException {
        int added = 0;
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            // one statement per row rather than a JDBC batch: drivers differ in what a batch reports
            // for a row skipped by ON CONFLICT, and the per-row count is what makes appends idempotent
            for (LedgerEntry e : entries) {
                bind(ps, e);
                added += ps.executeUpdate();
            }
        }
        return added;
    }

    private static void bind(PreparedStatement ps, LedgerEntry e) throws SQLException {
        int i = 1;
        ps.setString(i++, e.tenant());
        ps.setString(i++, e.requestId());
        ps.setLong(i++, Checks.epochMicros("LedgerEntry", "time", e.time()));
        ps.setString(i++, e.endpoint());
        ps.setString(i++, e.model());
        setNullableString(ps, i++, e.node());
        setNullableString(ps, i++, e.site());
        setNullableString(ps, i++, e.jurisdiction() == null ? null : e.jurisdiction().code());
        setNullableString(ps, i++, e.policy());
        ps.setLong(i++, e.promptTokens());
        ps.setLong(i++, e.completionTokens());
        ps.setDouble(i++, e.energyJ());
        ps.setDouble(i++, e.carbonG());
        ps.setDouble(i++, e.costUsd());
        ps.setDouble(i++, e.waterL());
        ps.setDouble(i++, e.heatReusedKwhTh());
        ps.setBoolean(i++, e.estimated());
        ps.setLong(i++, e.latencyMs());
        ps.setString(i, e.status().code());
    }

    private static void setNullableString(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    @Override
    public List<LedgerEntry> list(LedgerQuery query) {
        Objects.requireNonNull(query, "query must not be null");
        Where where = Where.of(query);
        String sql = "SELECT " + COLUMNS + " FROM ledger_entry" + where.sql
                + " ORDER BY at_epoch_us DESC, request_id DESC LIMIT ?";
        return db.read("listing the ledger", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int next = where.bind(ps);
                ps.setInt(next, query.limit());
                List<LedgerEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
                return List.copyOf(out);
            }
        });
    }

    private static LedgerEntry read(ResultSet rs) throws SQLException {
        String jurisdiction = rs.getString("jurisdiction");
        return new LedgerEntry(
                rs.getString("request_id"),
                rs.getString("tenant"),
                Checks.fromEpochMicros(rs.getLong("at_epoch_us")),
                rs.getString("endpoint"),
                rs.getString("model"),
                rs.getString("node"),
                rs.getString("site"),
                jurisdiction == null ? null : Jurisdiction.parse(jurisdiction),
                rs.getString("policy"),
                rs.getLong("prompt_tokens"),
                rs.getLong("completion_tokens"),
                rs.getDouble("energy_j"),
                rs.getDouble("carbon_g"),
                rs.getDouble("cost_usd"),
                rs.getDouble("water_l"),
                rs.getDouble("heat_reused_kwh_th"),
                rs.getBoolean("estimated"),
                rs.getLong("latency_ms"),
                LedgerStatus.fromCode(rs.getString("status")));
    }

    @Override
    public LedgerTotals sum(LedgerQuery query) {
        Objects.requireNonNull(query, "query must not be null");
        Where where = Where.of(query);
        String total = "SELECT " + FIGURES + " FROM ledger_entry" + where.sql;
        String bySite = "SELECT site, " + FIGURES + " FROM ledger_entry" + where.sql + " GROUP BY site";
        // both queries in one read transaction: the per-site sums add up to the total
        return db.read("summing the ledger", c -> {
            LedgerFigures all;
            try (PreparedStatement ps = c.prepareStatement(total)) {
                where.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    all = figures(rs, 1);
                }
            }
            TreeMap<String, LedgerFigures> sites = new TreeMap<>();
            if (query.groupBySite()) {
                try (PreparedStatement ps = c.prepareStatement(bySite)) {
                    where.bind(ps);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String site = rs.getString(1);
                            sites.put(site == null ? LedgerTotals.NO_SITE : site, figures(rs, 2));
                        }
                    }
                }
            }
            return new LedgerTotals(all, sites);
        });
    }

    private static LedgerFigures figures(ResultSet rs, int first) throws SQLException {
        int i = first;
        return new LedgerFigures(rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getDouble(i++),
                rs.getDouble(i++), rs.getDouble(i++), rs.getDouble(i++), rs.getDouble(i++), rs.getLong(i));
    }

    /** The WHERE clause of a query and how to bind it. */
    private record Where(String sql, LedgerQuery query) {

        static Where of(LedgerQuery q) {
            List<String> terms = new ArrayList<>();
            if (q.tenant() != null) {
                terms.add("tenant = ?");
            }
            if (q.from() != null) {
                terms.add("at_epoch_us >= ?");
            }
            if (q.to() != null) {
                terms.add("at_epoch_us < ?");
            }
            return new Where(terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms), q);
        }

        /** Binds the parameters; returns the next free parameter index. */
        int bind(PreparedStatement ps) throws SQLException {
            int i = 1;
            if (query.tenant() != null) {
                ps.setString(i++, query.tenant());
            }
            if (query.from() != null) {
                ps.setLong(i++, Checks.epochMicros("LedgerQuery", "from", query.from()));
            }
            if (query.to() != null) {
                ps.setLong(i++, Checks.epochMicros("LedgerQuery", "to", query.to()));
            }
            return i;
        }
    }
}
