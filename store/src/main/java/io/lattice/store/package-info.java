/**
 * Lattice's durable state over plain JDBC (no ORM): today the ledger of what every request used;
 * batches, files, shards and grid events join it with issue 4.
 *
 * <p>How the gateway uses it:
 * <pre>{@code
 * Store store = Store.open(url != null ? url : Store.defaultUrl());     // migrates; once per process
 * LedgerWriter ledger = LedgerWriter.start(store.ledger());             // off the request path
 * ledger.submit(LedgerEntry.builder(requestId, tenant, receivedAt)
 *         .endpoint("/v1/chat/completions").model(model)
 *         .placement(node, site, jurisdiction).policy("greenest")
 *         .tokens(prompt, completion).energyJ(j).carbonG(g).costUsd(usd).waterL(l)
 *         .heatReusedKwhTh(kwhTh).estimated(estimated).latencyMs(ms).build());
 * LedgerTotals t = store.ledger().sum(LedgerQuery.tenant(tenant).between(from, to).groupedBySite());
 * List<LedgerEntry> recent = store.ledger().list(LedgerQuery.tenant(tenant).withLimit(50));
 * // shutdown: writer first, then the store
 * ledger.close();
 * store.close();
 * }</pre>
 *
 * <p>Where: {@link io.lattice.store.Store#defaultPath} ({@code $LATTICE_HOME/lattice.db}, else
 * {@code $XDG_DATA_HOME/lattice/lattice.db}, else {@code ~/.local/share/lattice/lattice.db}), or any
 * {@code sqlite:/path} given. PostgreSQL ({@code postgres://…}) comes with issue 4: the repository
 * SQL is already the subset both engines accept, and {@code Database} is the seam it plugs into.
 *
 * <p>SQLite: WAL journal, {@code synchronous=FULL}, foreign keys on, a busy timeout; one writer
 * connection behind a lock (SQLite has one writer) and a small pool of read-only connections that
 * read committed snapshots while the writer writes.
 *
 * <p>Schema: numbered scripts {@code db/migration/V<n>__<what>.sql} on the class path, applied in
 * order at open, each in a transaction, recorded in {@code schema_version}; a database newer than
 * the code is refused. See {@code Migrations}.
 *
 * <p>Units are in the names: J, gCO2e (g), USD, L, kWh_th, ms; instants are kept to the microsecond.
 */
package io.lattice.store;
