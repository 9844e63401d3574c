package io.lattice.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lattice.engine.Engines;
import io.lattice.engine.InferenceEngine;
import io.lattice.engine.ModelSpec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting from YAML or code, refusing inconsistent setups, and stopping cleanly. */
class NodeAgentLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void start_fromYaml_servesTheConfiguredModelAtTheAdvertisedUrl() throws IOException {
        Path yaml = dir.resolve("node.yaml");
        Files.writeString(yaml, """
                node: { id: yaml-node, site: yaml-site, port: 0, advertised-url: "http://node.example:9001" }
                models:
                  - { kind: minilm, slots: 2 }
                """);
        try (NodeAgent node = NodeAgent.start(NodeConfig.load(yaml));
             Http http = new Http(URI.create("http://127.0.0.1:" + node.port()))) {
            assertThat(node.nodeId()).isEqualTo("yaml-node");
            assertThat(node.siteId()).isEqualTo("yaml-site");
            assertThat(node.port()).isPositive();
            assertThat(node.baseUrl()).isEqualTo(URI.create("http://node.example:9001"));
            assertThat(node.telemetry().baseUrl()).isEqualTo("http://node.example:9001");
            assertThat(http.get("/v1/models").json().get("data").get(0).get("id").asText())
                    .isEqualTo(ModelSpec.BundledMiniLm.DEFAULT_ID);
        }
    }

    @Test
    void close_isIdempotent_andFreesThePort() throws IOException {
        NodeAgent node = NodeAgent.start(NodeConfig.builder("close-node", "s").build(), List.of());
        int port = node.port();
        node.close();
        node.close();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void close_leavesEnginesItWasHandedOpen() {
        try (InferenceEngine shared = Engines.open(new ModelSpec.BundledMiniLm("shared"))) {
            NodeAgent.start(NodeConfig.builder("n1", "s").build(), List.of(shared)).close();
            try (NodeAgent second = NodeAgent.start(NodeConfig.builder("n2", "s").build(), List.of(shared));
                 Http http = new Http(second.baseUrl())) {
                assertThat(http.post("/v1/embeddings", "{\"model\":\"shared\",\"input\":\"still open\"}").status())
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void start_withSlotsForAModelNobodyServes_failsNamingIt() {
        NodeConfig config = NodeConfig.builder("n1", "s").slots("ghost", 2).build();
        assertThatThrownBy(() -> NodeAgent.start(config, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'ghost'");
    }

    @Test
    void start_withTwoEnginesForOneModelId_fails() {
        try (InferenceEngine shared = Engines.open(new ModelSpec.BundledMiniLm("dup"))) {
            NodeConfig config = NodeConfig.builder("n1", "s").addModel(new ModelSpec.BundledMiniLm("dup")).build();
            assertThatThrownBy(() -> NodeAgent.start(config, List.of(shared)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("two engines serve model 'dup'");
        }
    }

    @Test
    void start_onAPortInUse_fails() throws IOException {
        try (NodeAgent first = NodeAgent.start(NodeConfig.builder("n1", "s").build(), List.of())) {
            NodeConfig clash = NodeConfig.builder("n2", "s").port(first.port()).build();
            assertThatThrownBy(() -> NodeAgent.start(clash, List.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("node n2: cannot serve on 127.0.0.1:" + first.port());
        }
    }
}
