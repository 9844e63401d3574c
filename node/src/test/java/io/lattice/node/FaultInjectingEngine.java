package io.lattice.node;

import io.lattice.api.ChatRequest;
import io.lattice.api.CompletionRequest;
import io.lattice.api.EmbeddingRequest;
import io.lattice.api.Embeddings;
import io.lattice.api.Generation;
import io.lattice.core.ServedModel;
import io.lattice.engine.EngineException;
import io.lattice.engine.InferenceEngine;
import io.lattice.engine.TokenListener;

/**
 * A FAULT INJECTOR, not an engine: wraps a real engine and makes it fail with
 * {@link EngineException} after it has produced {@code failAfter} pieces of text (0: before the
 * first). It stands in for a native crash or a lost upstream in the middle of generation, which a
 * test cannot cause on demand with a healthy engine. Does not close the wrapped engine.
 */
final class FaultInjectingEngine implements InferenceEngine {

    /** Thrown through the real engine's listener to stop it at the chosen point. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super("injected", null, false, false);
        }
    }

    private final InferenceEngine real;
    private final ServedModel model;
    private final int failAfter;

    FaultInjectingEngine(InferenceEngine real, String id, int failAfter) {
        this.real = real;
        this.model = new ServedModel(id, real.model().capabilities(), real.model().format());
        this.failAfter = failAfter;
    }

    @Override
    public ServedModel model() {
        return model;
    }

    @Override
    public Generation chat(ChatRequest request, TokenListener tokens) {
        return failing(listener -> real.chat(request, listener), tokens);
    }

    @Override
    public Generation complete(CompletionRequest request, TokenListener tokens) {
        return failing(listener -> real.complete(request, listener), tokens);
    }

    @Override
    public Embeddings embed(EmbeddingRequest request) {
        throw new EngineException("injected fault: embeddings");
    }

    private Generation failing(java.util.function.Function<TokenListener, Generation> run, TokenListener tokens) {
        if (failAfter == 0) {
            throw new EngineException("injected fault before the first token");
        }
        int[] pieces = {0};
        try {
            return run.apply(text -> {
                tokens.onText(text);
                if (++pieces[0] == failAfter) {
                    throw new Stop();
                }
            });
        } catch (RuntimeException e) {
            if (e instanceof Stop || e.getCause() instanceof Stop) {
                throw new EngineException("injected fault after " + failAfter + " pieces");
            }
            throw e;
        }
    }

    @Override
    public void close() {
        // the real engine belongs to the test
    }
}
