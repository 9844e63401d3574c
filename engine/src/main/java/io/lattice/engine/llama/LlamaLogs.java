package io.lattice.engine.llama;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import java.lang.System.Logger.Level;

/**
 * Keeps llama.cpp's own log output off stdout and routes it to {@link System.Logger}.
 *
 * <p>Why two steps: llama.cpp has two log paths. Its server code (which de.kherud's binding runs
 * in-process) writes through a process-wide "common" log straight to stdout, and every model load
 * re-points the core library's log at that same writer. So each load runs with the common log
 * paused ({@code --log-disable}), and after each load the core log is pointed (again) at
 * {@link #bridge}. What the paused log would have said during a load is lost; a failed load is
 * still reported, by the binding's exception and by the GGUF checks before it.
 *
 * <p>Levels: llama.cpp's errors become {@link Level#WARNING} (an operator should see them), all the
 * rest {@link Level#DEBUG}. The log hook is process-wide in llama.cpp; installing it is idempotent.
 */
final class LlamaLogs {

    private static final System.Logger LOG = System.getLogger("io.lattice.engine.llama.cpp");

    private LlamaLogs() {
    }

    /** Parameters that keep a model load quiet. */
    static ModelParameters quiet(ModelParameters parameters) {
        return parameters.disableLog();
    }

    /** Points llama.cpp's core log at {@link System.Logger}; call after every model load. */
    static void install() {
        LlamaModel.setLogger(LogFormat.TEXT, LlamaLogs::bridge);
    }

    private static void bridge(LogLevel level, String message) {
        String text = message.strip();
        if (text.isEmpty()) {
            return; // llama.cpp prints progress dots and bare newlines as separate messages
        }
        Level mapped = level == LogLevel.ERROR ? Level.WARNING : Level.DEBUG;
        if (LOG.isLoggable(mapped)) {
            LOG.log(mapped, "llama.cpp: " + text);
        }
    }
}
