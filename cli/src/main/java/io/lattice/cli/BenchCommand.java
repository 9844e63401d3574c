package io.lattice.cli;

import picocli.CommandLine.Command;

/** {@code lattice bench}: benchmarks, measured side by side in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks. Figures are only comparable within one run: this machine may be shared.",
        subcommands = {RelayBench.class, ForecastBench.class, PlacementBench.class})
final class BenchCommand {
}
