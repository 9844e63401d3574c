package io.lattice.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lattice} command. */
@Command(name = "lattice",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Lattice: a decentralized, energy-aware inference mesh.",
        subcommands = {DemoCommand.class, GatewayCommand.class, NodeCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        Logging.configure(false);
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new Errors());
        System.exit(cli.execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"lattice " + (v == null ? "development build" : v)};
        }
    }

    /** Turns a failure into one line that says what to do, not a stack trace (unless --verbose). */
    static final class Errors implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
            if (e instanceof UserError u) {
                cmd.getErr().println("lattice: " + u.getMessage());
                return 2;
            }
            cmd.getErr().println("lattice: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            if (Logging.verbose()) {
                e.printStackTrace(cmd.getErr());
            } else {
                cmd.getErr().println("(run again with --verbose for details)");
            }
            return 1;
        }
    }
}
