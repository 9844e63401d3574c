package io.lattice.engine.llama;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import io.lattice.engine.EngineException;
import io.lattice.engine.InferenceEngine;
import io.lattice.engine.ModelSpec;
import io.lattice.engine.gguf.GgufMetadata;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens GGUF text models in llama.cpp. Reached through {@link io.lattice.engine.Engines#open}.
 *
 * <p>The engine it returns answers chat (with the model's own chat template) and completions, one
 * request at a time; see {@link InferenceEngine} for the contract.
 *
 * <p>Process note: the llama.cpp binding (de.kherud:llama 4.2.0) leaves a non-daemon thread
 * behind after a model is loaded, even once it is closed (kherud/java-llama.cpp issue 116), so a
 * program that loads a model must end with {@link System#exit}.
 */
public final class LlamaEngines {

    private static final System.Logger LOG = System.getLogger(LlamaEngines.class.getName());

    private LlamaEngines() {
    }

    /**
     * Loads the model: reads and checks the GGUF header, then has llama.cpp load the weights with
     * the spec's context size and threads.
     *
     * @throws EngineException when the file is missing, is not a GGUF file, or llama.cpp cannot load
     *                         it, or the native library does not load on this platform; the message
     *                         names the model, the file and the reason
     */
    public static InferenceEngine open(ModelSpec.Gguf spec) {
        Path path = spec.path().toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            throw new EngineException("model " + spec.id() + ": there is no GGUF file at " + path);
        }
        GgufMetadata metadata;
        try {
            metadata = GgufMetadata.read(path);
        } catch (IOException e) {
            throw new EngineException("model " + spec.id() + ": cannot use " + path + ": " + e.getMessage(), e);
        }
        String architecture = metadata.string("general.architecture").orElseThrow(() -> new EngineException(
                "model " + spec.id() + ": " + path + " names no general.architecture, so llama.cpp cannot run it"));

        ModelParameters parameters = new ModelParameters()
                .setModel(path.toString())
                .setCtxSize(spec.contextSize())
                .setParallel(1) // one slot: the whole context serves the one request running
                .disableContextShift() // a full context ends the answer rather than dropping the prompt
                .enableJinja() // the model's own Jinja chat template, not llama.cpp's guess of its family
                .skipWarmup();
        if (spec.threads() > 0) {
            parameters.setThreads(spec.threads()).setThreadsBatch(spec.threads());
        }
        LlamaLogs.quiet(parameters);
        NativeDir.ensurePrivate();

        long start = System.nanoTime();
        LlamaModel model;
        try {
            model = new LlamaModel(parameters);
        } catch (LinkageError e) {
            throw new EngineException("model " + spec.id() + ": the llama.cpp native library did not load on "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + ": " + e, e);
        } catch (RuntimeException e) {
            LlamaLogs.install();
            throw new EngineException("model " + spec.id() + ": llama.cpp could not load " + path + " ("
                    + architecture + "): " + e.getMessage(), e);
        }
        LlamaLogs.install();
        long millis = (System.nanoTime() - start) / 1_000_000;
        LOG.log(Level.INFO, "loaded model {0} from {1} ({2}, context {3} tokens) in {4} ms",
                spec.id(), path, architecture, spec.contextSize(), millis);
        return new LlamaEngine(spec.id(), model, spec.contextSize(), SpecialTokens.addedToPrompt(metadata));
    }
}
