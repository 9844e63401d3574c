package io.lattice.engine.llama;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gives this process its own folder for the llama.cpp native library.
 *
 * <p>Why: the binding extracts {@code libjllama.so} into one shared temp folder and first deletes
 * any {@code jllama*} file it finds there. Two processes starting at once (a node and a gateway
 * on one machine, parallel test runs) then delete or overwrite each other's library while it is
 * being loaded, which crashes the JVM without a trace. The folder is chosen through the binding's
 * own {@code de.kherud.llama.tmpdir} system property, so an operator who sets it keeps control
 * (for example when {@code /tmp} is mounted noexec).
 */
final class NativeDir {

    static final String PROPERTY = "de.kherud.llama.tmpdir";

    private NativeDir() {
    }

    /** Idempotent and thread-safe; the property is process-wide by nature, as is the library. */
    static synchronized void ensurePrivate() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("lattice-llama-" + ProcessHandle.current().pid() + "-");
            File folder = dir.toFile();
            folder.deleteOnExit();
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                File[] files = folder.listFiles();
                if (files != null) {
                    for (File f : files) {
                        f.delete();
                    }
                }
                folder.delete();
            }));
            System.setProperty(PROPERTY, dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for the llama.cpp native library in "
                    + System.getProperty("java.io.tmpdir"), e);
        }
    }
}
