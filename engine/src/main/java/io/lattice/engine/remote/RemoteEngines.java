package io.lattice.engine.remote;

import io.lattice.engine.InferenceEngine;
import io.lattice.engine.ModelSpec;
import java.time.Duration;
import java.util.Objects;

/**
 * Opens engines that forward to another OpenAI-compatible server (llama-server, vLLM, Ollama, a
 * Lattice node). {@link io.lattice.engine.Engines#open} calls this with the default timeout.
 *
 * <p>What the engine promises:
 * <ul>
 *   <li>It sends {@code model} = {@link ModelSpec.Remote#remoteModel()} and, when an API key is set,
 *       {@code Authorization: Bearer <key>}; the key appears in no message or log.</li>
 *   <li>Chat and completions always stream upstream, so the {@link io.lattice.engine.TokenListener}
 *       gets text as it arrives; a listener that throws closes the upstream connection (ending the
 *       work there) and its exception is rethrown unchanged.</li>
 *   <li>Token counts are the upstream server's {@code usage}. Without one, prompt tokens are 0
 *       (unknown) and completion tokens are the number of non-empty streamed text chunks.</li>
 *   <li>An upstream 4xx becomes an {@link io.lattice.api.ApiException} with the same status, type,
 *       param and code and a message starting {@code "upstream model server: "}; except 401, 403 and
 *       404, which mean this node is misconfigured (key, base URL or model name) and, like 5xx,
 *       refused connections, timeouts and broken streams, become an
 *       {@link io.lattice.engine.EngineException} naming the base URL.</li>
 *   <li>Capabilities come from the spec: chat gives CHAT and COMPLETIONS, embeddings gives
 *       EMBEDDINGS; a call for another capability is refused with a 400 before anything is sent.</li>
 * </ul>
 *
 * <p>Opening connects to nothing: an unreachable server shows on the first request.
 */
public final class RemoteEngines {

    /** Time to open a TCP (and TLS) connection. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(RemoteEngine.CONNECT_TIMEOUT_SECONDS);
    /** Time for a whole exchange, from sending to the last byte; long, for long generations on slow hardware. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(10);

    private RemoteEngines() {
    }

    /** Opens the engine with the {@linkplain #DEFAULT_REQUEST_TIMEOUT default request timeout}. */
    public static InferenceEngine open(ModelSpec.Remote spec) {
        return open(spec, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * Opens the engine.
     *
     * @param requestTimeout the most time one exchange may take, streaming included
     * @throws IllegalArgumentException when the base URL is not an absolute http(s) URL or the timeout
     *                                  is not positive; the message names the model and the value
     */
    public static InferenceEngine open(ModelSpec.Remote spec, Duration requestTimeout) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        return new RemoteEngine(spec, requestTimeout);
    }
}
