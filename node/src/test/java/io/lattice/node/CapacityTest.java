package io.lattice.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lattice.api.ApiException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class CapacityTest {

    private final ManualClock clock = new ManualClock();

    private Capacity capacity(int slots, int queueLimit) {
        return new Capacity("n1", Map.of("m", slots, "other", 1), Set.of("m", "other"), queueLimit,
                new BusyWindow(clock, Duration.ofSeconds(5), slots + 1));
    }

    @Test
    void acquire_withAFreeSlot_runsAtOnce() {
        Capacity capacity = capacity(2, 0);
        try (Capacity.Permit a = capacity.acquire("m"); Capacity.Permit b = capacity.acquire("m")) {
            assertThat(capacity.inFlight()).isEqualTo(2);
            assertThat(capacity.queueDepth()).isZero();
        }
        assertThat(capacity.inFlight()).isZero();
    }

    @Test
    void acquire_whenQueueIsFull_refusesWith429AndRetryAfter() {
        Capacity capacity = capacity(1, 0);
        try (Capacity.Permit held = capacity.acquire("m")) {
            assertThatThrownBy(() -> capacity.acquire("m"))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.error().status()).isEqualTo(429);
                        assertThat(e.error().retryAfterSeconds()).isEqualTo(1);
                        assertThat(e.error().code()).isEqualTo("node_saturated");
                        assertThat(e.error().message()).contains("Node n1 is saturated", "1 are running");
                    });
            // another model's slot is free: the refusal is about the queue, not the node as a whole
            try (Capacity.Permit other = capacity.acquire("other")) {
                assertThat(capacity.inFlight()).isEqualTo(2);
            }
        }
    }

    @Test
    void acquire_whenBusy_waitsInLineAndRunsInArrivalOrder() throws Exception {
        Capacity capacity = capacity(1, 2);
        List<String> order = new CopyOnWriteArrayList<>();
        Capacity.Permit held = capacity.acquire("m");

        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
            try (Capacity.Permit p = capacity.acquire("m")) {
                order.add("first");
            }
        }, Thread::startVirtualThread);
        await(() -> capacity.queueDepth() == 1);
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
            try (Capacity.Permit p = capacity.acquire("m")) {
                order.add("second");
            }
        }, Thread::startVirtualThread);
        await(() -> capacity.queueDepth() == 2);

        assertThatThrownBy(() -> capacity.acquire("m"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error().status()).isEqualTo(429));

        held.close();
        CompletableFuture.allOf(first, second).get(5, TimeUnit.SECONDS);
        assertThat(order).containsExactly("first", "second");
        assertThat(capacity.queueDepth()).isZero();
        assertThat(capacity.inFlight()).isZero();
    }

    @Test
    void permit_closedTwice_releasesItsSlotOnce() {
        Capacity capacity = capacity(1, 0);
        Capacity.Permit p = capacity.acquire("m");
        p.close();
        p.close();

        assertThat(capacity.inFlight()).isZero();
        try (Capacity.Permit again = capacity.acquire("m")) {
            assertThatThrownBy(() -> capacity.acquire("m")).isInstanceOf(ApiException.class);
        }
    }

    @Test
    void permit_ofAMeteredModel_countsTowardsUtilisation() {
        BusyWindow busy = new BusyWindow(clock, Duration.ofSeconds(10), 1);
        Capacity capacity = new Capacity("n1", Map.of("local", 1, "remote", 1), Set.of("local"), 4, busy);
        clock.advance(Duration.ofSeconds(10));
        try (Capacity.Permit remote = capacity.acquire("remote")) {
            clock.advance(Duration.ofSeconds(5));
        }
        assertThat(busy.utilisation()).isZero();
        try (Capacity.Permit local = capacity.acquire("local")) {
            clock.advance(Duration.ofSeconds(5));
        }
        assertThat(busy.utilisation()).isEqualTo(0.5);
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
