package io.lattice.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;

/**
 * Configures java.util.logging, which backs {@link System.Logger} and Helidon: quiet by default
 * (warnings, plus Lattice's own INFO events an operator needs), everything with {@code --verbose}.
 */
final class Logging {

    private Logging() {
    }

    static void configure(boolean beVerbose) {
        String config = String.join("\n",
                "handlers=java.util.logging.ConsoleHandler",
                ".level=" + (beVerbose ? "INFO" : "WARNING"),
                "io.lattice.level=" + (beVerbose ? "FINE" : "INFO"),
                "java.util.logging.ConsoleHandler.level=" + (beVerbose ? "FINE" : "INFO"),
                "java.util.logging.ConsoleHandler.formatter=java.util.logging.SimpleFormatter",
                "java.util.logging.SimpleFormatter.format=%1$tT %4$-7s %3$s: %5$s%6$s%n",
                "");
        try {
            LogManager.getLogManager().readConfiguration(
                    new ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Silences Lattice's INFO lines until the returned handle is closed, unless {@code --verbose} is
     * on: the demo prints its own story of the start-up and would otherwise say everything twice.
     */
    static AutoCloseable quietStartup() {
        java.util.logging.Logger lattice = java.util.logging.Logger.getLogger("io.lattice");
        if (verbose()) {
            return () -> { };
        }
        java.util.logging.Level before = lattice.getLevel();
        lattice.setLevel(java.util.logging.Level.WARNING);
        return () -> lattice.setLevel(before);
    }

    /** Whether {@code --verbose} is on; read back from the logging configuration, the one place it lives. */
    static boolean verbose() {
        return java.util.logging.Logger.getLogger("io.lattice").isLoggable(java.util.logging.Level.FINE);
    }
}
