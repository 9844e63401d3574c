package io.lattice.engine;

/** Opens engines from specs; the one way to make an {@link InferenceEngine}. */
public final class Engines {

    private Engines() {
    }

    /**
     * Loads the model the spec names.
     *
     * @throws EngineException when the model cannot be loaded (missing file, corrupt GGUF); the
     *                         message says which file and why
     */
    public static InferenceEngine open(ModelSpec spec) {
        // each helper replaces its line with the real engine's factory call
        switch (spec) {
            case ModelSpec.Gguf gguf -> throw new EngineException("GGUF engine not built yet: " + gguf.id());
            case ModelSpec.BundledMiniLm miniLm -> throw new EngineException("ONNX engine not built yet: " + miniLm.id());
            case ModelSpec.Remote remote -> throw new EngineException("remote engine not built yet: " + remote.id());
        }
    }
}
