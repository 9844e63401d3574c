package io.lattice.cli;

import picocli.CommandLine.Option;

/** {@code --verbose}, shared by every command. */
final class VerboseOption {
    @Option(names = {"-v", "--verbose"}, description = "Log everything, and show stack traces on errors.")
    void setVerbose(boolean verbose) {
        Logging.configure(verbose);
    }
}
