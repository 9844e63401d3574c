package io.lattice.gateway;

import io.lattice.core.ModelCapability;
import io.lattice.core.NodeTelemetry;
import io.lattice.core.ServedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Heartbeats as a node would send them, for tests that need no running node. */
final class Telemetries {

    static final ServedModel CHAT_MODEL = new ServedModel("tiny-chat",
            Set.of(ModelCapability.CHAT, ModelCapability.COMPLETIONS), "gguf");
    static final ServedModel EMBEDDING_MODEL = new ServedModel("tiny-embed", Set.of(ModelCapability.EMBEDDINGS),
            "onnx");

    private Telemetries() {
    }

    static NodeTelemetry node(String nodeId, String siteId, String baseUrl, ServedModel... models) {
        return new NodeTelemetry(nodeId, siteId, baseUrl, List.of(models), 0, 0, 0.0, 40.0, true,
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** A loopback URL where nothing listens: the port was free a moment ago (a real refused connection). */
    static String deadUrl() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
