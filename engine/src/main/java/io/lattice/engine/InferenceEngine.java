package io.lattice.engine;

import io.lattice.api.ChatRequest;
import io.lattice.api.CompletionRequest;
import io.lattice.api.EmbeddingRequest;
import io.lattice.api.Embeddings;
import io.lattice.api.Generation;
import io.lattice.core.ServedModel;

/**
 * Runs one served model. Three kinds exist: llama.cpp for GGUF text models, ONNX Runtime for
 * embedding models, and a remote OpenAI-compatible server.
 *
 * <p>Thread-safety: implementations are safe to call from many threads; an engine that can run
 * only one request at a time serialises calls itself (the node agent queues in front of it so it
 * can report queue depth). Calls block until the work is done.
 *
 * <p>Errors: a request the engine cannot serve (a capability it lacks, a prompt longer than its
 * context) throws {@link io.lattice.api.ApiException} with a 400; a failure of the engine itself
 * throws {@link EngineException}.
 */
public interface InferenceEngine extends AutoCloseable {

    /** The model this engine serves, with the name clients use. */
    ServedModel model();

    /**
     * Generates a chat answer using the model's chat template.
     *
     * @param request what to answer; its {@code model} field is not checked here
     * @param tokens  receives each piece of text as it is generated, in order; may throw to cancel
     *                (for example when the client went away), which ends generation and is rethrown
     * @return the whole answer with honest token counts
     */
    Generation chat(ChatRequest request, TokenListener tokens);

    /** Continues a raw prompt; otherwise as {@link #chat}. */
    Generation complete(CompletionRequest request, TokenListener tokens);

    /** Embeds every input, in order. */
    Embeddings embed(EmbeddingRequest request);

    /** Frees native memory and connections. Idempotent. */
    @Override
    void close();
}
