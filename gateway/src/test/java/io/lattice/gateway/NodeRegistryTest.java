package io.lattice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lattice.api.ApiException;
import io.lattice.core.LeastLoadedPolicy;
import io.lattice.core.ModelCapability;
import io.lattice.core.WorkRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The registry, the placer and leases, driven by a clock the test moves: no sleeping, no HTTP. */
class NodeRegistryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final WorkRequest CHAT = new WorkRequest("tiny-chat", ModelCapability.CHAT, false);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final NodeRegistry registry = new NodeRegistry(clock, TIMEOUT);
    private final Placer placer = new Placer(registry, new LeastLoadedPolicy(), new SiteBook(java.util.List.of(), null));

    private static Placer.Ask ask(WorkRequest work) {
        return new Placer.Ask(work, io.lattice.core.energy.EnergyPolicies.balanced(), false);
    }

    private Lease place(WorkRequest work) {
        return placer.place(ask(work)).lease();
    }

    @Test
    void nodeIsLiveUpToTheTimeoutAndStaleAfter() {
        registry.heartbeat(Telemetries.node("a", "s", "http://127.0.0.1:1", Telemetries.CHAT_MODEL));

        clock.advance(TIMEOUT);
        assertThat(registry.live(clock.instant())).extracting(NodeEntry::nodeId).containsExactly("a");

        clock.advance(Duration.ofMillis(1));
        assertThat(registry.live(clock.instant())).isEmpty();
        assertThat(registry.all()).extracting(NodeEntry::nodeId).containsExactly("a");
    }

    @Test
    void silentNodeGetsNoWorkAndGetsItAgainWhenHeartbeatsResume() {
        registry.heartbeat(Telemetries.node("a", "s", "http://127.0.0.1:1", Telemetries.CHAT_MODEL));
        registry.heartbeat(Telemetries.node("b", "s", "http://127.0.0.1:2", Telemetries.CHAT_MODEL));
        clock.advance(Duration.ofSeconds(2));
        registry.heartbeat(Telemetries.node("b", "s", "http://127.0.0.1:2", Telemetries.CHAT_MODEL));
        clock.advance(Duration.ofSeconds(2)); // a: 4 s silent, b: 2 s

        List<String> placed = placeMany(6);
        assertThat(placed).containsOnly("b");

        registry.heartbeat(Telemetries.node("a", "s", "http://127.0.0.1:1", Telemetries.CHAT_MODEL));
        assertThat(placeMany(6)).contains("a");
    }

    @Test
    void sequentialWorkAlternatesBetweenEquallyLoadedNodes() {
        registry.heartbeat(Telemetries.node("a", "s", "http://127.0.0.1:1", Telemetries.CHAT_MODEL));
        registry.heartbeat(Telemetries.node("b", "s", "http://127.0.0.1:2", Telemetries.CHAT_MODEL));

        assertThat(placeMany(6)).containsExactly("a", "b", "a", "b", "a", "b");
    }

    @Test
    void workInFlightSteersTheNextRequestElsewhere() {
        registry.heartbeat(Telemetries.node("a", "s", "http://127.0.0.1:1", Telemetries.CHAT_MODEL));
        registry.heartbeat(Telemetries.node("b", "s", "http://127.0.0.1:2", Telemetries.CHAT_MODEL));

        try (Lease first = place(CHAT); Lease second = place(CHAT)) {
            assertThat(first.node().nodeId()).isNotEqualTo(second.node().nodeId());
            assertThat(first.node().inFlight()).isEqualTo(1);
        }
        assertThat(registry.all()).allSatisfy(e -> assertThat(e.inFlight()).isZero());
    }

    @Test
    void leaseReleasesItsPermitOnceHoweverOftenItIsClosed() {
        registry.heartbeat(Telemetries.node("a", "s", "http://127.0.0.1:1", Telemetries.CHAT_MODEL));
        Lease held = place(CHAT);
        Lease closedTwice = place(CHAT);
        NodeEntry a = held.node();
        assertThat(a.inFlight()).isEqualTo(2);

        closedTwice.close();
        closedTwice.close();

        assertThat(a.inFlight()).isEqualTo(1);
        assertThat(a.placedTotal()).isEqualTo(2);
        held.close();
        assertThat(a.inFlight()).isZero();
    }

    @Test
    void countsStayExactUnderConcurrentLeases() throws Exception {
        registry.heartbeat(Telemetries.node("a", "s", "http://127.0.0.1:1", Telemetries.CHAT_MODEL));
        registry.heartbeat(Telemetries.node("b", "s", "http://127.0.0.1:2", Telemetries.CHAT_MODEL));
        int threads = 64;
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < threads; i++) {
                pool.submit(() -> {
                    go.await();
                    for (int j = 0; j < 100; j++) {
                        Lease lease = place(CHAT);
                        lease.close();
                        lease.close();
                    }
                    return null;
                });
            }
            go.countDown();
        }
        assertThat(registry.all()).allSatisfy(e -> assertThat(e.inFlight()).isZero());
        assertThat(registry.all().stream().mapToLong(NodeEntry::placedTotal).sum()).isEqualTo(threads * 100L);
    }

    @Test
    void placementExcludesNodesAlreadyTried() {
        registry.heartbeat(Telemetries.node("a", "s", "http://127.0.0.1:1", Telemetries.CHAT_MODEL));

        assertThat(placer.tryPlace(ask(CHAT), Set.of("a")).placed()).isEmpty();
    }

    @Test
    void unknownModelIs404AndStaleModelIs503() {
        registry.heartbeat(Telemetries.node("a", "s", "http://127.0.0.1:1", Telemetries.CHAT_MODEL));

        assertThatThrownBy(() -> place(new WorkRequest("other", ModelCapability.CHAT, false)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(404);
                    assertThat(e.error().code()).isEqualTo("model_not_found");
                });

        clock.advance(Duration.ofSeconds(10));
        assertThatThrownBy(() -> place(CHAT))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(503);
                    assertThat(e.error().retryAfterSeconds()).isPositive();
                    assertThat(e.error().message()).contains("1 node serves it").contains("a last heartbeat 10.0 s ago");
                });
    }

    @Test
    void liveModelsAreTheUnionOverLiveNodesOnly() {
        registry.heartbeat(Telemetries.node("a", "s", "http://127.0.0.1:1", Telemetries.CHAT_MODEL));
        clock.advance(Duration.ofSeconds(5));
        registry.heartbeat(Telemetries.node("b", "s", "http://127.0.0.1:2", Telemetries.EMBEDDING_MODEL));

        assertThat(registry.liveModels(clock.instant())).containsExactly("tiny-embed");

        registry.heartbeat(Telemetries.node("a", "s", "http://127.0.0.1:1", Telemetries.CHAT_MODEL));
        assertThat(registry.liveModels(clock.instant())).containsExactly("tiny-chat", "tiny-embed");
    }

    private List<String> placeMany(int n) {
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try (Lease lease = place(CHAT)) {
                nodes.add(lease.node().nodeId());
            }
        }
        return nodes;
    }
}
