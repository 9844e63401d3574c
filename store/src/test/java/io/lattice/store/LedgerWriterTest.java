package io.lattice.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class LedgerWriterTest {

    @TempDir
    Path dir;

    private Store store;

    @BeforeEach
    void open() {
        store = Store.open("sqlite:" + dir.resolve("lattice.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private long stored(String tenant) {
        return store.ledger().sum(LedgerQuery.tenant(tenant)).all().requests();
    }

    @Test
    void close_writesEverythingAccepted_fromManySubmitters() throws Exception {
        int threads = 8;
        int perThread = 500;
        LedgerWriter writer = LedgerWriter.start(store.ledger());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> accepted = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                accepted.add(pool.submit(() -> {
                    start.await();
                    int ok = 0;
                    for (int i = 0; i < perThread; i++) {
                        ok += writer.submit(Entries.simple("t" + thread + "-" + i, "acme", i)) ? 1 : 0;
                    }
                    return ok;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : accepted) {
                total += f.get();
            }
            assertThat(total).isEqualTo(threads * perThread);
        } finally {
            pool.shutdownNow();
        }

        writer.close();

        LedgerWriter.Stats s = writer.stats();
        assertThat(s.accepted()).isEqualTo(threads * perThread);
        assertThat(s.written()).isEqualTo(threads * perThread);
        assertThat(s.dropped()).isZero();
        assertThat(s.failed()).isZero();
        assertThat(s.queued()).isZero();
        assertThat(stored("acme")).isEqualTo(threads * perThread);
        assertThat(s.batches()).as("4,000 entries from 8 threads cannot all have gone one by one")
                .isLessThan(threads * perThread);
    }

    @Test
    void entriesQueuedBehindABusyWrite_goInOneTransaction() throws Exception {
        GatedLedgerRepository gated = new GatedLedgerRepository(store.ledger());
        LedgerWriter writer = LedgerWriter.start(gated, LedgerWriter.Config.defaults().withMaxBatch(50));
        writer.submit(Entries.simple("first", "acme", 0));
        gated.awaitBlocked();
        for (int i = 0; i < 120; i++) {
            writer.submit(Entries.simple("r" + i, "acme", i + 1));
        }

        gated.openGate();
        assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();

        assertThat(gated.batchSizes()).containsExactly(1, 50, 50, 20);
        assertThat(writer.stats().batches()).isEqualTo(4);
        assertThat(writer.stats().largestBatch()).isEqualTo(50);
        assertThat(stored("acme")).as("flush means written, before close").isEqualTo(121);
        writer.close();
    }

    @Test
    void fullQueue_dropsAfterABriefWait_andCountsIt() throws Exception {
        GatedLedgerRepository gated = new GatedLedgerRepository(store.ledger());
        LedgerWriter writer = LedgerWriter.start(gated, LedgerWriter.Config.defaults().withCapacity(5)
                .withOfferTimeout(Duration.ofMillis(20)));
        writer.submit(Entries.simple("taken", "acme", 0));
        gated.awaitBlocked();
        for (int i = 0; i < 5; i++) {
            assertThat(writer.submit(Entries.simple("q" + i, "acme", i + 1))).isTrue();
        }

        long before = System.nanoTime();
        boolean accepted = writer.submit(Entries.simple("one-too-many", "acme", 9));
        long waitedMs = (System.nanoTime() - before) / 1_000_000;

        assertThat(accepted).isFalse();
        assertThat(waitedMs).as("waited briefly, not forever").isBetween(15L, 5_000L);
        assertThat(writer.stats().dropped()).isEqualTo(1);
        assertThat(writer.stats().queued()).isEqualTo(5);
        gated.openGate();
        writer.close();
        assertThat(writer.stats().accepted()).isEqualTo(6);
        assertThat(writer.stats().written()).isEqualTo(6);
        assertThat(stored("acme")).isEqualTo(6);
    }

    @Test
    void retriedSubmissions_areCountedAsDuplicates_notTwice() {
        LedgerWriter writer = LedgerWriter.start(store.ledger());
        LedgerEntry e = Entries.simple("r1", "acme", 0);
        writer.submit(e);
        writer.flush(Duration.ofSeconds(10));
        writer.submit(e);
        writer.close();

        assertThat(writer.stats().written()).isEqualTo(1);
        assertThat(writer.stats().duplicates()).isEqualTo(1);
        assertThat(stored("acme")).isEqualTo(1);
    }

    @Test
    void submitAfterClose_isRefusedAndCounted() {
        LedgerWriter writer = LedgerWriter.start(store.ledger());
        writer.close();
        writer.close();

        assertThat(writer.submit(Entries.simple("late", "acme", 0))).isFalse();
        assertThat(writer.stats().dropped()).isEqualTo(1);
        assertThat(writer.flush(Duration.ofSeconds(1))).isTrue();
        assertThat(stored("acme")).isZero();
    }

    /** The store is closed under the writer (a real fault: every write throws), so batches fail. */
    @Test
    void batchesThatKeepFailing_areRetriedThenCountedAsFailed() throws Exception {
        Store doomed = Store.open("sqlite:" + dir.resolve("doomed.db"));
        doomed.close();
        LedgerWriter writer = LedgerWriter.start(doomed.ledger(), LedgerWriter.Config.defaults()
                .withRetries(3, Duration.ofMillis(1)));
        for (int i = 0; i < 10; i++) {
            writer.submit(Entries.simple("r" + i, "acme", i));
        }

        writer.close();

        LedgerWriter.Stats s = writer.stats();
        assertThat(s.accepted()).isEqualTo(10);
        assertThat(s.failed()).isEqualTo(10);
        assertThat(s.written()).isZero();
        assertThat(s.accepted()).isEqualTo(s.written() + s.duplicates() + s.failed());
    }

    @Test
    void throttle_saysYesAtMostOncePerPeriod() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        AsyncLedgerWriter.Throttle throttle = new AsyncLedgerWriter.Throttle(now::get, Duration.ofMinutes(1));

        assertThat(throttle.ready()).isTrue();
        assertThat(throttle.ready()).isFalse();
        now.set(now.get().plusSeconds(59));
        assertThat(throttle.ready()).isFalse();
        now.set(now.get().plusSeconds(1));
        assertThat(throttle.ready()).isTrue();
        assertThat(throttle.ready()).isFalse();
    }
}
