package io.lattice.cli;

import io.lattice.gateway.Gateway;
import io.lattice.core.GeoPoint;
import io.lattice.gateway.GatewayConfig;
import io.lattice.gateway.SitesFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lattice gateway}: the OpenAI API for clients, placing work on the nodes that join it. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Runs a gateway: the OpenAI API for clients; nodes join it with heartbeats.")
final class GatewayCommand implements Callable<Integer> {

    @Mixin
    VerboseOption verbose;

    @Option(names = "--host", defaultValue = GatewayConfig.DEFAULT_HOST,
            description = "Address to bind (default: ${DEFAULT-VALUE}; use 0.0.0.0 to accept other machines).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--heartbeat-timeout", defaultValue = "3s", converter = DurationConverter.class,
            description = "A node silent this long gets no work (default: ${DEFAULT-VALUE}).")
    Duration heartbeatTimeout;

    @Option(names = "--max-body-bytes", defaultValue = "16777216",
            description = "Largest request body accepted (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(names = "--sites", paramLabel = "FILE",
            description = "A sites file (YAML: context and signals per site) for energy-aware placement; without"
                    + " it every node is placed least-loaded.")
    Path sites;

    @Option(names = "--policy", paramLabel = "NAME", defaultValue = GatewayConfig.DEFAULT_POLICY,
            description = "Policy for requests without x-lattice-policy: fastest, cheapest, greenest or balanced"
                    + " (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--location", paramLabel = "LAT,LON",
            description = "Where the gateway stands, in degrees, for round-trip estimates to sites (default:"
                    + " unknown, every RTT 0 ms).")
    String location;

    @Option(names = "--store", paramLabel = "URL",
            description = "Where the ledger (what every request used) is kept: sqlite:/path/lattice.db or a file"
                    + " path (default: $LATTICE_HOME/lattice.db, else $XDG_DATA_HOME/lattice/lattice.db, else"
                    + " ~/.local/share/lattice/lattice.db).")
    String store;

    @Override
    public Integer call() throws InterruptedException {
        GatewayConfig config;
        try {
            config = GatewayConfig.defaults().withHost(host).withPort(port).withHeartbeatTimeout(heartbeatTimeout)
                    .withMaxBodyBytes(maxBodyBytes).withDefaultPolicy(policy);
            if (store != null) {
                config = config.withStoreUrl(store);
            }
            if (sites != null) {
                config = config.withSites(SitesFile.load(sites, config.clock().instant()));
            }
            if (location != null) {
                String[] parts = location.split(",");
                if (parts.length != 2) {
                    throw new IllegalArgumentException("--location must be LAT,LON in degrees, for example 50.1,8.7,"
                            + " but was '" + location + "'");
                }
                try {
                    config = config.withLocation(new GeoPoint(Double.parseDouble(parts[0].strip()),
                            Double.parseDouble(parts[1].strip())));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--location must be LAT,LON in degrees, for example 50.1,8.7,"
                            + " but was '" + location + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(config);
        } catch (IllegalArgumentException e) {
            throw new UserError("--store: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            gateway.close();
            stopped.countDown();
        }));
        System.out.println("Lattice gateway listening on " + gateway.baseUrl() + " (OpenAI API at "
                + gateway.baseUrl().resolve("/v1") + "). Ctrl-C stops it.");
        System.out.println("Ledger: " + gateway.ledgerUrl() + "  (sums: curl -s '"
                + gateway.baseUrl().resolve("/lattice/v1/ledger") + "?by=site')");
        stopped.await();
        return 0;
    }
}
