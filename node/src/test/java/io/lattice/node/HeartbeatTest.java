package io.lattice.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.api.Json;
import io.lattice.core.NodeTelemetry;
import io.lattice.engine.ModelSpec;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Heartbeats reach a loopback stand-in gateway about once per interval; a gateway that is down harms nothing. */
class HeartbeatTest {

    /** Collects what the heartbeat sender logs (System.Logger goes to java.util.logging here). */
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger heartbeatLog = Logger.getLogger(Heartbeats.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        heartbeatLog.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        heartbeatLog.removeHandler(capture);
    }

    @Test
    void heartbeats_arriveAboutOnceASecondWithSaneTelemetry() throws Exception {
        try (HeartbeatRecorder gateway = HeartbeatRecorder.start();
             NodeAgent node = NodeAgent.start(NodeConfig.builder("hb-node", "hb-site").addGateway(gateway.uri())
                     .power(new NodeConfig.Power(30, 90).withSource(NodeConfig.PowerSource.MODEL)).build(),
                     List.of())) {
            Instant started = Instant.now();
            List<HeartbeatRecorder.Beat> beats = gateway.awaitBeats(4, Duration.ofSeconds(8));

            // the first one announces the node at once
            assertThat(Duration.between(started, beats.get(0).receivedAt())).isLessThan(Duration.ofMillis(900));
            // then about one a second: each gap loosely (a loaded machine delays single beats), the mean tightly
            for (int i = 1; i < 4; i++) {
                Duration gap = Duration.between(beats.get(i - 1).receivedAt(), beats.get(i).receivedAt());
                assertThat(gap).as("gap %d", i).isBetween(Duration.ofMillis(400), Duration.ofMillis(2000));
            }
            Duration mean = Duration.between(beats.get(0).receivedAt(), beats.get(3).receivedAt()).dividedBy(3);
            assertThat(mean).isBetween(Duration.ofMillis(850), Duration.ofMillis(1300));
            HeartbeatRecorder.Beat beat = beats.get(3);
            assertThat(beat.nodeHeader()).isEqualTo("hb-node");
            assertThat(beat.contentType()).isEqualTo("application/json");
            NodeTelemetry t = beat.telemetry();
            assertThat(t.nodeId()).isEqualTo("hb-node");
            assertThat(t.siteId()).isEqualTo("hb-site");
            assertThat(t.baseUrl()).isEqualTo(node.baseUrl().toString()).isEqualTo("http://127.0.0.1:" + node.port());
            assertThat(t.queueDepth()).isZero();
            assertThat(t.inFlight()).isZero();
            assertThat(t.tokensPerSecond()).isZero();
            // idle node: the power model's floor, flagged as an estimate
            assertThat(t.powerWatts()).isEqualTo(30.0);
            assertThat(t.powerEstimated()).isTrue();
            assertThat(t.sentAt()).isBetween(started.minusSeconds(1), Instant.now());
        }
    }

    @Test
    void heartbeats_underLoad_reportInFlightWorkAndMorePower() throws Exception {
        try (HeartbeatRecorder gateway = HeartbeatRecorder.start();
             NodeAgent node = NodeAgent.start(NodeConfig.builder("hb-load", "hb-site").addGateway(gateway.uri())
                     .heartbeatInterval(Duration.ofMillis(100))
                     .power(new NodeConfig.Power(30, 90).withSource(NodeConfig.PowerSource.MODEL))
                     .addModel(new ModelSpec.BundledMiniLm("minilm")).build())) {
            try (Capacity.Permit busy = node.capacity().acquire("minilm")) {
                int seen = gateway.beats().size();
                HeartbeatRecorder.Beat loaded = awaitBeat(gateway, seen, t -> t.inFlight() == 1);
                assertThat(loaded.telemetry().powerWatts()).isGreaterThan(30.0).isLessThanOrEqualTo(90.0);
                assertThat(loaded.telemetry().models()).extracting(m -> m.id()).containsExactly("minilm");
            }
            awaitBeat(gateway, gateway.beats().size(), t -> t.inFlight() == 0);
        }
    }

    private static HeartbeatRecorder.Beat awaitBeat(HeartbeatRecorder gateway, int after,
                                                    java.util.function.Predicate<NodeTelemetry> wanted)
            throws InterruptedException {
        for (int n = after + 1; n < after + 50; n++) {
            HeartbeatRecorder.Beat beat = gateway.awaitBeats(n, Duration.ofSeconds(5)).get(n - 1);
            if (wanted.test(beat.telemetry())) {
                return beat;
            }
        }
        throw new AssertionError("no heartbeat matched in 50");
    }

    @Test
    void heartbeats_goToEveryGateway_andStopOnClose() throws Exception {
        try (HeartbeatRecorder a = HeartbeatRecorder.start(); HeartbeatRecorder b = HeartbeatRecorder.start()) {
            NodeAgent node = NodeAgent.start(NodeConfig.builder("hb-two", "hb-site").gateways(List.of(a.uri(), b.uri()))
                    .heartbeatInterval(Duration.ofMillis(100)).build(), List.of());
            a.awaitBeats(3, Duration.ofSeconds(5));
            b.awaitBeats(3, Duration.ofSeconds(5));
            node.close();
            node.close();
            int afterClose = a.beats().size();
            // absence can only be seen over time: let a second node beat three times at the same interval
            // to the same gateway; meanwhile the closed node may land at most the one beat it had in flight
            try (NodeAgent witness = NodeAgent.start(NodeConfig.builder("hb-witness", "hb-site")
                    .gateways(List.of(a.uri())).heartbeatInterval(Duration.ofMillis(100)).build(), List.of())) {
                int before = a.beats().size();
                a.awaitBeats(before + 3, Duration.ofSeconds(5));
            }
            long closedBeats = a.beats().stream().filter(beat -> beat.telemetry().nodeId().equals("hb-two")).count();
            assertThat(closedBeats).isLessThanOrEqualTo(afterClose + 1);
        }
    }

    @Test
    void gatewayDown_nodeKeepsServing_logsOnceWhenLostAndOnceWhenBack() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        try (HeartbeatRecorder live = HeartbeatRecorder.start();
             NodeAgent node = NodeAgent.start(NodeConfig.builder("hb-down", "hb-site")
                     .gateways(List.of(URI.create("http://127.0.0.1:" + deadPort), live.uri()))
                     .heartbeatInterval(Duration.ofMillis(100)).build(), List.of());
             Http http = new Http(node.baseUrl())) {
            // the other gateway keeps hearing from the node, and the node keeps answering
            live.awaitBeats(8, Duration.ofSeconds(5));
            assertThat(http.get("/lattice/v1/health").status()).isEqualTo(200);
            assertThat(warnings()).hasSize(1);
            assertThat(warnings().get(0).getMessage()).contains("127.0.0.1:" + deadPort, "unreachable");

            // the dead gateway comes back on its port
            try (HeartbeatRecorder back = HeartbeatRecorder.startOn(deadPort)) {
                back.awaitBeats(3, Duration.ofSeconds(5));
                assertThat(warnings()).hasSize(1);
                assertThat(infos("reachable again")).hasSize(1);
            }
            // and goes again: one more warning, not one per heartbeat
            live.awaitBeats(live.beats().size() + 5, Duration.ofSeconds(5));
            assertThat(warnings()).hasSize(2);
        }
    }

    private List<LogRecord> warnings() {
        return logged.stream().filter(r -> r.getLevel() == Level.WARNING).toList();
    }

    private List<LogRecord> infos(String containing) {
        return logged.stream().filter(r -> r.getLevel() == Level.INFO && r.getMessage().contains(containing)).toList();
    }

    @Test
    void heartbeatJson_hasExactlyTheFieldsDocumentedInTheNodeProtocol() {
        try (NodeAgent node = NodeAgent.start(NodeConfig.builder("hb-json", "hb-site").build(), List.of())) {
            JsonNode json = Json.mapper().valueToTree(node.telemetry());
            List<String> names = new java.util.ArrayList<>();
            json.fieldNames().forEachRemaining(names::add);
            // docs/node-protocol.md lists these; change both together
            assertThat(names).containsExactly("node_id", "site_id", "base_url", "models", "queue_depth", "in_flight",
                    "tokens_per_second", "power_watts", "power_estimated", "sent_at", "model_energy");
            assertThat(json.get("sent_at").isTextual()).isTrue();
            assertThat(Instant.parse(json.get("sent_at").asText())).isNotNull();
        }
    }

    @Test
    void noGateways_nodeRunsWithoutHeartbeats() throws IOException {
        try (NodeAgent node = NodeAgent.start(NodeConfig.builder("hb-none", "hb-site").build(), List.of());
             Http http = new Http(node.baseUrl())) {
            assertThat(http.get("/lattice/v1/health").status()).isEqualTo(200);
            assertThat(node.telemetry().nodeId()).isEqualTo("hb-none");
        }
    }
}
