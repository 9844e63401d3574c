package io.lattice.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.engine.Engines;
import io.lattice.engine.InferenceEngine;
import io.lattice.engine.ModelSpec;
import io.lattice.engine.gguf.TinyModels;
import io.lattice.node.NodeAgent;
import io.lattice.node.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A real mesh on loopback for end-to-end tests: one gateway and node agents that each serve the
 * tiny random-weight GGUF (llama.cpp) and the bundled MiniLM (ONNX Runtime). The engines are loaded
 * once and shared by every node of the mesh (an agent never closes engines it was handed). The
 * gateway's port and ledger store are the mesh's own: a free port, and a SQLite file in the mesh's
 * temporary directory ({@link #storeUrl()}), deleted on close.
 */
final class Mesh implements AutoCloseable {

    static final String CHAT_MODEL = TinyModels.MODEL_ID;
    static final String EMBEDDING_MODEL = ModelSpec.BundledMiniLm.DEFAULT_ID;
    static final long MODEL_SEED = 20260301L;
    static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(200);

    private final Path dir;
    private final List<InferenceEngine> engines;
    private final Gateway gateway;
    private final Http http;
    private final Map<String, NodeAgent> nodes = new HashMap<>();

    private Mesh(Path dir, List<InferenceEngine> engines, Gateway gateway) {
        this.dir = dir;
        this.engines = engines;
        this.gateway = gateway;
        this.http = new Http(gateway.baseUrl());
    }

    /** Starts a gateway with {@code config} (its port is replaced by a free one) and one node per site. */
    static Mesh start(GatewayConfig config, String... sites) {
        return start(config, true, sites);
    }

    /** As {@link #start(GatewayConfig, String...)}; without {@code chat} the nodes serve only MiniLM. */
    static Mesh start(GatewayConfig config, boolean chat, String... sites) {
        Path dir;
        List<InferenceEngine> engines = new ArrayList<>();
        Gateway gateway = null;
        try {
            dir = Files.createTempDirectory("lattice-gateway-test");
            if (chat) {
                Path gguf = dir.resolve("tiny.gguf");
                TinyModels.writeRandomLlama(gguf, MODEL_SEED);
                engines.add(Engines.open(new ModelSpec.Gguf(CHAT_MODEL, gguf, TinyModels.CONTEXT_LENGTH, 1)));
            }
            engines.add(Engines.open(new ModelSpec.BundledMiniLm(EMBEDDING_MODEL)));
            gateway = Gateway.start(config.withPort(0).withStoreUrl(storeUrl(dir)));
            Mesh mesh = new Mesh(dir, engines, gateway);
            for (String site : sites) {
                mesh.startNode(site + "-1", site);
            }
            mesh.awaitLive(Set.of(java.util.Arrays.stream(sites).map(s -> s + "-1").toArray(String[]::new)));
            return mesh;
        } catch (IOException e) {
            closeAll(gateway, engines);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            closeAll(gateway, engines);
            throw e;
        }
    }

    private static String storeUrl(Path dir) {
        return "sqlite:" + dir.resolve("lattice.db");
    }

    /** Where the gateway keeps its ledger; readable until {@link #close()} deletes it. */
    String storeUrl() {
        return storeUrl(dir);
    }

    Gateway gateway() {
        return gateway;
    }

    Http http() {
        return http;
    }

    NodeAgent node(String nodeId) {
        return nodes.get(nodeId);
    }

    /** Starts (or restarts, on a new port) a node agent that heartbeats to the gateway. */
    NodeAgent startNode(String nodeId, String siteId) {
        NodeConfig config = NodeConfig.builder(nodeId, siteId)
                .addGateway(gateway.baseUrl())
                .heartbeatInterval(HEARTBEAT_INTERVAL)
                .build();
        NodeAgent agent = NodeAgent.start(config, engines);
        NodeAgent previous = nodes.put(nodeId, agent);
        if (previous != null) {
            previous.close();
        }
        return agent;
    }

    void stopNode(String nodeId) {
        NodeAgent agent = nodes.remove(nodeId);
        if (agent != null) {
            agent.close();
        }
    }

    /** Waits (polling the gateway's registry, at most 30 s) until these nodes are live there. */
    void awaitLive(Set<String> nodeIds) {
        awaitRegistry("nodes " + nodeIds + " live", data -> {
            int live = 0;
            for (JsonNode n : data) {
                if (nodeIds.contains(n.get("node_id").asText()) && n.get("live").asBoolean()) {
                    live++;
                }
            }
            return live == nodeIds.size();
        });
    }

    /** Waits (polling, at most 30 s) until the registry's node list satisfies {@code condition}. */
    void awaitRegistry(String what, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode data = null;
        while (System.nanoTime() < deadline) {
            data = Http.json(http.get("/lattice/v1/nodes")).get("data");
            if (condition.test(data)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out waiting for " + what + "; registry: " + data);
    }

    /** The gateway's view of one node, from {@code GET /lattice/v1/nodes}. */
    JsonNode registryEntry(String nodeId) {
        for (JsonNode n : Http.json(http.get("/lattice/v1/nodes")).get("data")) {
            if (n.get("node_id").asText().equals(nodeId)) {
                return n;
            }
        }
        throw new AssertionError("node " + nodeId + " is not in the registry");
    }

    @Override
    public void close() {
        http.close();
        for (NodeAgent agent : nodes.values()) {
            agent.close();
        }
        nodes.clear();
        closeAll(gateway, engines);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp file is harmless
        }
    }

    private static void closeAll(Gateway gateway, List<InferenceEngine> engines) {
        if (gateway != null) {
            gateway.close();
        }
        for (InferenceEngine engine : engines) {
            engine.close();
        }
    }
}
