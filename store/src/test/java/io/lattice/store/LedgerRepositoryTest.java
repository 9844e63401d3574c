package io.lattice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lattice.core.energy.Jurisdiction;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerRepositoryTest {

    private static final double EPS = 1e-9;

    @TempDir
    Path dir;

    private Store store;
    private LedgerRepository ledger;

    @BeforeEach
    void open() {
        store = Store.open("sqlite:" + dir.resolve("lattice.db"));
        ledger = store.ledger();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void sum_addsEveryFigure_handChecked() {
        ledger.append(Entries.chat("r1", "acme", 0).tokens(100, 50).energyJ(12.5).carbonG(1.25).costUsd(0.004)
                .waterL(0.02).heatReusedKwhTh(0.001).estimated(true).build());
        ledger.append(Entries.chat("r2", "acme", 60).tokens(200, 0).energyJ(7.5).carbonG(0.75).costUsd(-0.001)
                .waterL(0.03).heatReusedKwhTh(0).estimated(false).build());
        ledger.append(Entries.chat("r3", "acme", 120).tokens(0, 10).energyJ(0).carbonG(0).costUsd(0.002)
                .waterL(0).heatReusedKwhTh(0.004).estimated(false).status(LedgerStatus.FAILED).build());

        LedgerFigures f = ledger.sum(LedgerQuery.tenant("acme")).all();

        assertThat(f.requests()).isEqualTo(3);
        assertThat(f.promptTokens()).isEqualTo(300);
        assertThat(f.completionTokens()).isEqualTo(60);
        assertThat(f.totalTokens()).isEqualTo(360);
        assertThat(f.energyJ()).isCloseTo(20.0, within(EPS));
        assertThat(f.carbonG()).isCloseTo(2.0, within(EPS));
        assertThat(f.costUsd()).isCloseTo(0.005, within(EPS));
        assertThat(f.waterL()).isCloseTo(0.05, within(EPS));
        assertThat(f.heatReusedKwhTh()).isCloseTo(0.005, within(EPS));
        assertThat(f.estimatedRequests()).isEqualTo(1);
        assertThat(f.estimatedShare()).isCloseTo(1.0 / 3, within(EPS));
    }

    @Test
    void sum_ofNothing_isZero() {
        LedgerTotals t = ledger.sum(LedgerQuery.tenant("nobody").groupedBySite());

        assertThat(t.all()).isEqualTo(LedgerFigures.ZERO);
        assertThat(t.all().estimatedShare()).isZero();
        assertThat(t.bySite()).isEmpty();
    }

    @Test
    void sum_groupedBySite_splitsTheTotal_andKeepsUnplacedUnderNoSite() {
        ledger.append(Entries.chat("r1", "acme", 0).placement("n1", "farm", null).energyJ(10).build());
        ledger.append(Entries.chat("r2", "acme", 1).placement("n2", "farm", null).energyJ(5).build());
        ledger.append(Entries.chat("r3", "acme", 2).placement("n3", "city", null).energyJ(1).build());
        ledger.append(Entries.chat("r4", "acme", 3).placement(null, null, null).energyJ(0).tokens(0, 0)
                .status(LedgerStatus.FAILED).build());

        LedgerTotals t = ledger.sum(LedgerQuery.tenant("acme").groupedBySite());

        assertThat(t.bySite()).containsOnlyKeys("", "city", "farm");
        assertThat(t.bySite().firstKey()).isEqualTo(LedgerTotals.NO_SITE);
        assertThat(t.bySite().get("farm").requests()).isEqualTo(2);
        assertThat(t.bySite().get("farm").energyJ()).isCloseTo(15, within(EPS));
        assertThat(t.bySite().get("city").energyJ()).isCloseTo(1, within(EPS));
        assertThat(t.bySite().get(LedgerTotals.NO_SITE).requests()).isEqualTo(1);
        assertThat(t.all().energyJ()).isCloseTo(16, within(EPS));
        assertThat(ledger.sum(LedgerQuery.tenant("acme")).bySite()).as("not grouped unless asked").isEmpty();
    }

    @Test
    void timeWindow_includesFrom_andExcludesTo() {
        ledger.append(Entries.simple("at0", "acme", 0));
        ledger.append(Entries.simple("at1", "acme", 1));
        ledger.append(Entries.simple("at2", "acme", 2));
        Instant t1 = Entries.T0.plusSeconds(1);
        Instant t2 = Entries.T0.plusSeconds(2);

        assertThat(ledger.list(LedgerQuery.tenant("acme").between(t1, t2))).extracting(LedgerEntry::requestId)
                .containsExactly("at1");
        assertThat(ledger.list(LedgerQuery.tenant("acme").withFrom(t1))).extracting(LedgerEntry::requestId)
                .containsExactly("at2", "at1");
        assertThat(ledger.list(LedgerQuery.tenant("acme").withTo(t1))).extracting(LedgerEntry::requestId)
                .containsExactly("at0");
        assertThat(ledger.sum(LedgerQuery.tenant("acme").between(t1, t2)).all().requests()).isEqualTo(1);
        // one microsecond past the entry still includes it; the entry's own instant as `to` does not
        assertThat(ledger.sum(LedgerQuery.tenant("acme").between(t1, t1.plusNanos(1_000))).all().requests()).isEqualTo(1);
    }

    @Test
    void tenants_seeOnlyTheirOwnEntries_evenWithTheSameRequestIds() {
        ledger.append(Entries.chat("req-1", "acme", 0).tokens(1, 1).build());
        ledger.append(Entries.chat("req-1", "globex", 0).tokens(1000, 1000).build());
        ledger.append(Entries.chat("req-2", "globex", 1).tokens(1000, 1000).build());

        assertThat(ledger.list(LedgerQuery.tenant("acme"))).extracting(LedgerEntry::tenant).containsOnly("acme");
        assertThat(ledger.sum(LedgerQuery.tenant("acme")).all().promptTokens()).isEqualTo(1);
        assertThat(ledger.sum(LedgerQuery.tenant("globex")).all().requests()).isEqualTo(2);
        assertThat(ledger.sum(LedgerQuery.allTenants()).all().requests()).isEqualTo(3);
    }

    @Test
    void append_isIdempotentByTenantAndRequestId_theFirstEntryWins() {
        LedgerEntry first = Entries.chat("r1", "acme", 0).tokens(10, 20).build();
        LedgerEntry retried = Entries.chat("r1", "acme", 5).tokens(99, 99).build();

        assertThat(ledger.append(first)).isTrue();
        assertThat(ledger.append(first)).isFalse();
        assertThat(ledger.append(retried)).isFalse();
        assertThat(ledger.appendAll(List.of(first, Entries.simple("r2", "acme", 1), Entries.simple("r2", "acme", 1))))
                .as("only r2 is new, and it counts once though it appears twice").isEqualTo(1);

        assertThat(ledger.list(LedgerQuery.tenant("acme"))).containsExactly(Entries.simple("r2", "acme", 1), first);
        assertThat(ledger.sum(LedgerQuery.tenant("acme")).all().requests()).isEqualTo(2);
    }

    @Test
    void list_returnsEveryFieldAsWritten_newestFirst_withinTheLimit() {
        LedgerEntry full = LedgerEntry.builder("req_full", "acme", Instant.parse("2026-03-01T12:00:00.123456Z"))
                .endpoint("/v1/embeddings").model("all-minilm-l6-v2-q")
                .placement("node-7", "greenhouse", Jurisdiction.parse("fr-bre")).policy("balanced")
                .tokens(12, 0).energyJ(0.125).carbonG(0.0003).costUsd(-0.00001).waterL(0.0001)
                .heatReusedKwhTh(0.00002).estimated(true).latencyMs(37).status(LedgerStatus.CANCELLED).build();
        LedgerEntry bare = LedgerEntry.builder("req_bare", "acme", Entries.T0.minusSeconds(10))
                .endpoint("/v1/chat/completions").model("m").status(LedgerStatus.FAILED).build();
        ledger.append(bare);
        ledger.append(full);
        for (int i = 0; i < 5; i++) {
            ledger.append(Entries.simple("older-" + i, "acme", -100 - i));
        }

        List<LedgerEntry> top2 = ledger.list(LedgerQuery.tenant("acme").withLimit(2));

        assertThat(top2).containsExactly(full, bare);
        assertThat(top2.getFirst().jurisdiction().code()).isEqualTo("FR-BRE");
        assertThat(ledger.list(LedgerQuery.tenant("acme"))).hasSize(7)
                .isSortedAccordingTo(Comparator.comparing(LedgerEntry::time).reversed());
    }

    @Test
    void appendsFromManyThreads_allLand() throws Exception {
        int threads = 8;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        ledger.append(Entries.simple("t" + thread + "-" + i, "acme", i));
                        if (i % 10 == 0) {
                            ledger.sum(LedgerQuery.tenant("acme"));   // readers run alongside
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        LedgerFigures f = ledger.sum(LedgerQuery.tenant("acme")).all();
        assertThat(f.requests()).isEqualTo(threads * perThread);
        assertThat(f.promptTokens()).isEqualTo(threads * perThread * 10L);
    }

    /** The SQL sums against a plain Java sum of the same entries over random windows: the slow oracle. */
    @Test
    void sum_matchesAJavaReferenceSum_overRandomWindows() {
        Random rnd = new Random(20260301);
        String[] tenants = {"acme", "globex", "initech"};
        String[] sites = {"farm", "city", "solar"};
        List<LedgerEntry> all = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            all.add(Entries.chat("r" + i, tenants[rnd.nextInt(3)], rnd.nextInt(3600))
                    .placement("n" + rnd.nextInt(5), sites[rnd.nextInt(3)], null)
                    .tokens(rnd.nextInt(2000), rnd.nextInt(500))
                    .energyJ(rnd.nextDouble() * 100).carbonG(rnd.nextDouble()).costUsd(rnd.nextDouble() * 0.01 - 0.002)
                    .waterL(rnd.nextDouble() * 0.1).heatReusedKwhTh(rnd.nextDouble() * 0.01)
                    .estimated(rnd.nextBoolean()).build());
        }
        assertThat(ledger.appendAll(all)).isEqualTo(all.size());

        for (int q = 0; q < 20; q++) {
            Instant from = Entries.T0.plusSeconds(rnd.nextInt(1800));
            Instant to = from.plusSeconds(1 + rnd.nextInt(1800));
            LedgerQuery query = LedgerQuery.tenant(tenants[q % 3]).between(from, to).groupedBySite();
            LedgerFigures expected = LedgerFigures.ZERO;
            for (LedgerEntry e : all) {
                if (query.matches(e)) {
                    expected = expected.plus(e);
                }
            }

            LedgerTotals actual = ledger.sum(query);

            assertClose(actual.all(), expected);
            long bySiteRequests = actual.bySite().values().stream().mapToLong(LedgerFigures::requests).sum();
            assertThat(bySiteRequests).isEqualTo(expected.requests());
            assertThat(ledger.list(query.withLimit(LedgerQuery.MAX_LIMIT))).hasSize((int) expected.requests());
        }
    }

    private static void assertClose(LedgerFigures actual, LedgerFigures expected) {
        assertThat(actual.requests()).isEqualTo(expected.requests());
        assertThat(actual.promptTokens()).isEqualTo(expected.promptTokens());
        assertThat(actual.completionTokens()).isEqualTo(expected.completionTokens());
        assertThat(actual.estimatedRequests()).isEqualTo(expected.estimatedRequests());
        assertThat(actual.energyJ()).isCloseTo(expected.energyJ(), within(1e-6));
        assertThat(actual.carbonG()).isCloseTo(expected.carbonG(), within(1e-9));
        assertThat(actual.costUsd()).isCloseTo(expected.costUsd(), within(1e-9));
        assertThat(actual.waterL()).isCloseTo(expected.waterL(), within(1e-9));
        assertThat(actual.heatReusedKwhTh()).isCloseTo(expected.heatReusedKwhTh(), within(1e-9));
    }
}
