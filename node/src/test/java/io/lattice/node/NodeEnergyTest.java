package io.lattice.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.api.Json;
import io.lattice.core.ModelEnergy;
import io.lattice.core.NodeTelemetry;
import io.lattice.engine.Engines;
import io.lattice.engine.InferenceEngine;
import io.lattice.engine.ModelSpec;
import io.lattice.engine.gguf.TinyModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: a node serving the real llama.cpp engine (a tiny random-weight GGUF) over HTTP learns
 * J per token from the requests it ran and reports them in telemetry, heartbeats and health, with
 * this machine's own power source (RAPL where readable, else the model, marked estimated).
 */
class NodeEnergyTest {

    private static final String MODEL = TinyModels.MODEL_ID;

    @TempDir
    Path dir;

    private static String chat(int maxTokens, boolean stream, String question) {
        return "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}],"
                + "\"max_tokens\":" + maxTokens + ",\"temperature\":0,\"seed\":7,\"stream\":" + stream + "}";
    }

    @Test
    void servedRequests_teachJoulesPerToken_reportedPerModelInTelemetryHeartbeatAndHealth() throws Exception {
        Path gguf = dir.resolve("tiny.gguf");
        TinyModels.writeRandomLlama(gguf, 42L);
        boolean measured = RaplReader.open(RaplReader.POWERCAP, java.time.InstantSource.system()).isAvailable();
        try (InferenceEngine llama = Engines.open(new ModelSpec.Gguf(MODEL, gguf, 512, 2));
             HeartbeatRecorder gateway = HeartbeatRecorder.start();
             NodeAgent node = NodeAgent.start(NodeConfig.builder("energy-node", "energy-site")
                     .addGateway(gateway.uri()).heartbeatInterval(Duration.ofMillis(100))
                     .power(new NodeConfig.Power(20, 100)).build(), List.of(llama));
             Http http = new Http(node.baseUrl())) {
            assertThat(node.telemetry().modelEnergy()).as("nothing learned before the first request").isEmpty();

            List<String> bodies = List.of(
                    chat(8, false, "Where does the heat go?"),
                    chat(32, false, "Which site is greenest at noon, and why would the grid care about it?"),
                    chat(64, false, "Hi"),
                    chat(24, true, "Say something about solar power and wind and the price of energy today."),
                    "{\"model\":\"" + MODEL + "\",\"prompt\":\"The lattice of small sites\",\"max_tokens\":48}",
                    "{\"model\":\"" + MODEL + "\",\"prompt\":\"Power\",\"max_tokens\":16,\"stream\":true}");
            for (String body : bodies) {
                String path = body.contains("\"messages\"") ? "/v1/chat/completions" : "/v1/completions";
                Http.Reply reply = http.post(path, body);
                assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            }

            NodeTelemetry telemetry = node.telemetry();
            ModelEnergy energy = telemetry.energyOf(MODEL).orElseThrow();
            assertThat(energy.samples()).isEqualTo(bodies.size());
            assertThat(energy.joulesPerPromptToken() + energy.joulesPerOutputToken()).isPositive();
            assertThat(energy.joules(20, 20)).isPositive();
            assertThat(energy.prefillTokensPerSecond()).isPositive();
            assertThat(energy.decodeTokensPerSecond()).isPositive();
            assertThat(energy.estimated()).isEqualTo(!measured);
            assertThat(telemetry.powerEstimated()).isEqualTo(!measured);
            if (!measured) {
                // the model charges 80 W above idle while the one slot is busy, so the energy of a request
                // is 80 W × its time: J per output token is 80 W divided by the decode speed, give or take
                // the prompt's share; a loose check that the units line up
                assertThat(energy.joulesPerOutputToken()).isLessThan(80.0 / energy.decodeTokensPerSecond() * 3);
            }

            // what a gateway receives
            HeartbeatRecorder.Beat beat = awaitLearned(gateway);
            ModelEnergy sent = beat.telemetry().energyOf(MODEL).orElseThrow();
            assertThat(sent.samples()).isEqualTo(bodies.size());
            assertThat(sent.estimated()).isEqualTo(!measured);

            JsonNode health = http.get("/lattice/v1/health").json();
            assertThat(health.get("power_estimated").asBoolean()).isEqualTo(!measured);
            assertThat(health.get("power_source").asText()).isEqualTo(measured ? "rapl" : "model");
            assertThat(health.get("power_detail").asText()).isNotBlank();
            JsonNode learned = health.get("model_energy").get(0);
            assertThat(learned.get("model_id").asText()).isEqualTo(MODEL);
            assertThat(learned.get("joules_per_output_token").asDouble()).isEqualTo(energy.joulesPerOutputToken());
            assertThat(learned.get("samples").asInt()).isEqualTo(bodies.size());
            assertThat(Json.mapper().treeToValue(learned, ModelEnergy.class))
                    .isEqualTo(node.requests().report().get(0));
        }
    }

    private static HeartbeatRecorder.Beat awaitLearned(HeartbeatRecorder gateway) throws InterruptedException {
        for (int n = gateway.beats().size() + 1; n < gateway.beats().size() + 50; n++) {
            HeartbeatRecorder.Beat beat = gateway.awaitBeats(n, Duration.ofSeconds(5)).get(n - 1);
            if (beat.telemetry().energyOf(MODEL).map(e -> e.samples() == 6).orElse(false)) {
                return beat;
            }
        }
        throw new AssertionError("no heartbeat carried the learned figures");
    }
}
