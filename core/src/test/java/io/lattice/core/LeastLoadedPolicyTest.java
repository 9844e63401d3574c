package io.lattice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeastLoadedPolicyTest {

    private static final ServedModel TINY = new ServedModel("tiny", Set.of(ModelCapability.CHAT), "gguf");
    private static final ServedModel MINILM = new ServedModel("minilm", Set.of(ModelCapability.EMBEDDINGS), "onnx");
    private static final WorkRequest CHAT_TINY = new WorkRequest("tiny", ModelCapability.CHAT, false);

    private final LeastLoadedPolicy policy = new LeastLoadedPolicy();

    private static Candidate node(String id, List<ServedModel> models, int queue, int inFlight, int gatewayInFlight,
                                  long placed) {
        NodeTelemetry t = new NodeTelemetry(id, "site-" + id, "http://127.0.0.1:1", models, queue, inFlight, 0, 50,
                true, Instant.EPOCH);
        return new Candidate(t, gatewayInFlight, placed);
    }

    @Test
    void place_choosesTheNodeWithTheShortestQueue() {
        var busy = node("a", List.of(TINY), 3, 1, 0, 0);
        var idle = node("b", List.of(TINY), 0, 1, 0, 10);

        assertThat(policy.place(CHAT_TINY, List.of(busy, idle))).get()
                .extracting(p -> p.chosen().nodeId()).isEqualTo("b");
    }

    @Test
    void place_skipsNodesThatDoNotServeTheModelOrCapability() {
        var embeddingsOnly = node("a", List.of(MINILM), 0, 0, 0, 0);
        var chat = node("b", List.of(TINY), 5, 5, 0, 0);

        assertThat(policy.place(CHAT_TINY, List.of(embeddingsOnly, chat))).get()
                .extracting(p -> p.chosen().nodeId()).isEqualTo("b");
        assertThat(policy.place(new WorkRequest("tiny", ModelCapability.EMBEDDINGS, false),
                List.of(embeddingsOnly, chat))).isEmpty();
    }

    @Test
    void place_countsTheGatewaysOwnInFlightRequestsWhenFresherThanTelemetry() {
        var staleTelemetry = node("a", List.of(TINY), 0, 0, 4, 0);
        var other = node("b", List.of(TINY), 1, 1, 0, 100);

        assertThat(policy.place(CHAT_TINY, List.of(staleTelemetry, other))).get()
                .extracting(p -> p.chosen().nodeId()).isEqualTo("b");
    }

    @Test
    void place_breaksTiesByFewestPlacementsSoSequentialWorkRotates() {
        var a = node("a", List.of(TINY), 0, 0, 0, 7);
        var b = node("b", List.of(TINY), 0, 0, 0, 6);

        assertThat(policy.place(CHAT_TINY, List.of(a, b))).get()
                .extracting(p -> p.chosen().nodeId()).isEqualTo("b");
        assertThat(policy.place(CHAT_TINY, List.of(b, a))).get()
                .extracting(p -> p.chosen().nodeId()).isEqualTo("b");
    }

    @Test
    void place_isEmptyWithoutCandidates() {
        assertThat(policy.place(CHAT_TINY, List.of())).isEmpty();
    }
}
