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
            case ModelSpec.Gguf gguf -> {
                return io.lattice.engine.llama.LlamaEngines.open(gguf);
            }
            case ModelSpec.BundledMiniLm miniLm -> {
                return io.lattice.engine.onnx.OnnxEngines.openBundledMiniLm(miniLm);
            }
            case ModelSpec.Remote remote -> {
                return io.lattice.engine.remote.RemoteEngines.open(remote);
            }
        }
    }
}
