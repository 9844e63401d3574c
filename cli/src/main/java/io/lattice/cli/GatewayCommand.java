package io.lattice.cli;

import io.lattice.gateway.Gateway;
import io.lattice.gateway.GatewayConfig;
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

    @Override
    public Integer call() throws InterruptedException {
        GatewayConfig config;
        try {
            config = GatewayConfig.defaults().withHost(host).withPort(port).withHeartbeatTimeout(heartbeatTimeout)
                    .withMaxBodyBytes(maxBodyBytes);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        Gateway gateway = Gateway.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            gateway.close();
            stopped.countDown();
        }));
        System.out.println("Lattice gateway listening on " + gateway.baseUrl() + " (OpenAI API at "
                + gateway.baseUrl().resolve("/v1") + "). Ctrl-C stops it.");
        stopped.await();
        return 0;
    }
}
