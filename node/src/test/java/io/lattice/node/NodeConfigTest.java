package io.lattice.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lattice.engine.ModelSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeConfigTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("node.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private NodeConfig load(String yaml) throws IOException {
        return NodeConfigLoader.load(write(yaml), Map.of("LLAMA_KEY", "sk-test")::get);
    }

    @Test
    void load_fullFile_readsEveryField() throws IOException {
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/tiny.gguf"), "not really a model; load only checks the file exists");

        NodeConfig config = load("""
                node: { id: brittany-1, site: brittany-greenhouse, host: 0.0.0.0, port: 9001,
                        advertised-url: "http://brittany-1.example:9001",
                        gateways: [http://127.0.0.1:8080, "https://gw.example/"] }
                heartbeat-interval: 250ms
                max-body-bytes: 2MiB
                queue-limit: 8
                power: { idle-watts: 45, max-watts: 180, utilisation: max }
                models:
                  - { id: tiny-llama, kind: gguf, path: models/tiny.gguf, context: 512, threads: 2, slots: 2 }
                  - { kind: minilm }
                  - { id: llama3, kind: remote, base-url: "http://127.0.0.1:8081/v1", remote-model: llama3:8b,
                      api-key-env: LLAMA_KEY, capabilities: [chat] }
                """);

        assertThat(config.nodeId()).isEqualTo("brittany-1");
        assertThat(config.siteId()).isEqualTo("brittany-greenhouse");
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(9001);
        assertThat(config.advertisedBaseUrl()).isEqualTo(URI.create("http://brittany-1.example:9001"));
        assertThat(config.gateways()).containsExactly(URI.create("http://127.0.0.1:8080"),
                URI.create("https://gw.example/"));
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.maxBodyBytes()).isEqualTo(2L * 1024 * 1024);
        assertThat(config.queueLimit()).isEqualTo(8);
        assertThat(config.power()).isEqualTo(new NodeConfig.Power(45, 180, NodeConfig.Utilisation.MAX));
        assertThat(config.models()).containsExactly(
                new ModelSpec.Gguf("tiny-llama", dir.toAbsolutePath().resolve("models/tiny.gguf").normalize(), 512, 2),
                new ModelSpec.BundledMiniLm(ModelSpec.BundledMiniLm.DEFAULT_ID),
                new ModelSpec.Remote("llama3", URI.create("http://127.0.0.1:8081/v1"), "llama3:8b", "sk-test", true,
                        false));
        assertThat(config.slotsOf("tiny-llama")).isEqualTo(2);
        assertThat(config.slotsOf("all-minilm-l6-v2")).isEqualTo(1);
    }

    @Test
    void load_powerSource_readsRaplAndModel_andDefaultsToAuto() throws IOException {
        assertThat(load("node: { id: n1, site: s1 }\npower: { source: rapl }\n").power().source())
                .isEqualTo(NodeConfig.PowerSource.RAPL);
        assertThat(load("node: { id: n1, site: s1 }\npower: { source: model, idle-watts: 5, max-watts: 9 }\n")
                .power()).isEqualTo(new NodeConfig.Power(5, 9, NodeConfig.Utilisation.SLOTS,
                        NodeConfig.PowerSource.MODEL));
        assertThat(load("node: { id: n1, site: s1 }\npower: { idle-watts: 5, max-watts: 9 }\n").power().source())
                .isEqualTo(NodeConfig.PowerSource.AUTO);
    }

    @Test
    void load_minimalFile_usesTheDocumentedDefaults() throws IOException {
        NodeConfig config = load("node: { id: n1, site: s1 }\n");

        assertThat(config).isEqualTo(NodeConfig.builder("n1", "s1").build());
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isZero();
        assertThat(config.advertisedBaseUrl()).isNull();
        assertThat(config.gateways()).isEmpty();
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.maxBodyBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(config.queueLimit()).isEqualTo(64);
        assertThat(config.power()).isEqualTo(NodeConfig.Power.DEFAULT);
        assertThat(config.models()).isEmpty();
    }

    @Test
    void load_durationsInEveryAcceptedForm() throws IOException {
        for (String[] c : new String[][] {{"2s", "PT2S"}, {"1.5s", "PT1.5S"}, {"PT0.3S", "PT0.3S"}, {"2", "PT2S"},
                {"1m", "PT1M"}}) {
            assertThat(load("node: { id: n1, site: s1 }\nheartbeat-interval: " + c[0] + "\n").heartbeatInterval())
                    .as(c[0]).isEqualTo(Duration.parse(c[1]));
        }
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("", ": the file is empty"),
                Arguments.of("node: [1, 2", ": not valid YAML (line"),
                Arguments.of("models: []\n", ": node: missing"),
                Arguments.of("node: { site: s1 }\n", ": node.id: missing; it is required"),
                Arguments.of("node: { id: n1, site: s1, port: 70000 }\n",
                        ": node.port: 70000 is out of range; it must be 0 (any free port) to 65535"),
                Arguments.of("node: { id: n1, site: s1, port: nine }\n", ": node.port: \"nine\" is not a whole number"),
                Arguments.of("node: { id: n1, site: s1, gateways: [ftp://gw] }\n",
                        ": node.gateways[0]: 'ftp://gw' must be an absolute http or https URL"),
                Arguments.of("node: { id: n1, site: s1, gateway: [http://gw] }\n",
                        ": node.gateway: unknown key; allowed here: advertised-url, gateways, host, id, port, site"),
                Arguments.of("node: { id: n1, site: s1 }\nheartbeat-interval: fast\n",
                        ": heartbeat-interval: 'fast' must be a duration such as 1s, 250ms, 2m or PT1S"),
                Arguments.of("node: { id: n1, site: s1 }\nheartbeat-interval: 1ms\n",
                        ": heartbeat-interval: 1ms is too short; it must be at least 10ms"),
                Arguments.of("node: { id: n1, site: s1 }\nmax-body-bytes: 16MB\n",
                        ": max-body-bytes: \"16MB\" is not a size"),
                Arguments.of("node: { id: n1, site: s1 }\nqueue-limit: -1\n",
                        ": queue-limit: -1 is out of range; it must be 0 (no waiting) or more"),
                Arguments.of("node: { id: n1, site: s1 }\npower: { idle-watts: 45, max-watts: 10 }\n",
                        ": power.max-watts: 10.0 is below power.idle-watts (45.0)"),
                Arguments.of("node: { id: n1, site: s1 }\npower: { idle-watts: 45, max-watts: 90, utilisation: gpu }\n",
                        ": power.utilisation: 'gpu' is not one of slots, cpu, max"),
                Arguments.of("node: { id: n1, site: s1 }\npower: { source: nvml }\n",
                        ": power.source: 'nvml' is not one of auto, rapl, model"),
                Arguments.of("node: { id: n1, site: s1 }\nmodels: [ { id: m, kind: llama } ]\n",
                        ": models[0].kind: 'llama' is not one of gguf, minilm, remote"),
                Arguments.of("node: { id: n1, site: s1 }\nmodels: [ { kind: minilm }, { id: t, kind: gguf, path: /x.gguf } ]\n",
                        ": models[1].path: file /x.gguf does not exist"),
                Arguments.of("node: { id: n1, site: s1 }\nmodels: [ { kind: minilm, contxt: 5 } ]\n",
                        ": models[0].contxt: unknown key; allowed here: id, kind, slots"),
                Arguments.of("node: { id: n1, site: s1 }\nmodels: [ { kind: minilm }, { kind: minilm } ]\n",
                        ": models[1].id: 'all-minilm-l6-v2' is already used by models[0]"),
                Arguments.of("node: { id: n1, site: s1 }\nmodels: [ { kind: minilm, slots: 0 } ]\n",
                        ": models[0].slots: 0 is out of range; it must be 1 to 1024"),
                Arguments.of("node: { id: n1, site: s1 }\nmodels: [ { id: r, kind: remote, base-url: \"http://h/v1\","
                        + " api-key-env: NOPE, capabilities: [chat] } ]\n",
                        ": models[0].api-key-env: environment variable NOPE is not set or is empty"),
                Arguments.of("node: { id: n1, site: s1 }\nmodels: [ { id: r, kind: remote, base-url: \"http://h/v1\" } ]\n",
                        ": models[0].capabilities: missing"),
                Arguments.of("node: { id: n1, site: s1 }\nmodels: [ { id: r, kind: remote, base-url: \"http://h/v1\","
                        + " capabilities: [chat, vision] } ]\n",
                        ": models[0].capabilities[1]: 'vision' is not one of chat, embeddings"),
                Arguments.of("node: { id: n1, site: s1 }\nnode: { id: n2, site: s2 }\n", ": not valid YAML"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badFiles")
    void load_badFile_failsNamingFileFieldAndRule(String yaml, String expected) throws IOException {
        Path file = write(yaml);
        assertThatThrownBy(() -> NodeConfigLoader.load(file, Map.<String, String>of()::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining(expected);
    }

    @Test
    void load_missingFile_saysSo() {
        Path file = dir.resolve("absent.yaml");
        assertThatThrownBy(() -> NodeConfig.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": no such file");
    }

    @Test
    void builder_badValue_failsNamingTheField() {
        assertThatThrownBy(() -> NodeConfig.builder("n1", "s1").queueLimit(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queueLimit must be 0 or more");
        assertThatThrownBy(() -> NodeConfig.builder(" ", "s1").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodeId");
        assertThatThrownBy(() -> NodeConfig.builder("n1", "s1").addGateway(URI.create("gw:8080")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gateways[0]");
        assertThatThrownBy(() -> NodeConfig.builder("n1", "s1").slots("m", 0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slots of model 'm'");
        assertThatThrownBy(() -> NodeConfig.builder("n1", "s1")
                .models(List.of(new ModelSpec.BundledMiniLm("m"), new ModelSpec.BundledMiniLm("m"))).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'m' is listed twice");
    }

    @Test
    void toBuilder_roundTrips() {
        NodeConfig config = NodeConfig.builder("n1", "s1").port(9001).queueLimit(3).slots("m", 2)
                .addModel(new ModelSpec.BundledMiniLm("m")).addGateway(URI.create("http://gw:8080")).build();
        assertThat(config.toBuilder().build()).isEqualTo(config);
        assertThat(config.toBuilder().port(9002).build().port()).isEqualTo(9002);
    }
}
