package io.lattice.engine.onnx;

import io.lattice.engine.EngineException;
import io.lattice.engine.InferenceEngine;
import io.lattice.engine.ModelSpec;
import java.util.Objects;

/**
 * Opens embedding engines run by ONNX Runtime. {@link io.lattice.engine.Engines#open} calls this;
 * use that unless you need to set the parallelism.
 */
public final class OnnxEngines {

    private OnnxEngines() {
    }

    /**
     * Loads the quantized all-MiniLM-L6-v2 bundled on the classpath (384-dimension unit vectors, inputs
     * truncated at 256 tokens), with one thread per available processor. The engine answers embeddings
     * only; chat and completions get a 400.
     *
     * @throws EngineException when the bundled files are missing or ONNX Runtime cannot load them
     */
    public static InferenceEngine openBundledMiniLm(ModelSpec.BundledMiniLm spec) {
        return openBundledMiniLm(spec, 0);
    }

    /**
     * As {@link #openBundledMiniLm(ModelSpec.BundledMiniLm)}, with the number of CPU threads the engine
     * uses. Each input runs on one thread; this many run at once, across all callers.
     *
     * @param parallelism threads; 0 for one per available processor
     * @throws IllegalArgumentException when {@code parallelism} is negative
     */
    public static InferenceEngine openBundledMiniLm(ModelSpec.BundledMiniLm spec, int parallelism) {
        Objects.requireNonNull(spec, "spec");
        return MiniLmEngine.loadBundled(spec.id(), parallelism);
    }
}
