package io.lattice.cli;

import io.lattice.engine.EngineException;
import io.lattice.node.NodeAgent;
import io.lattice.node.NodeConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lattice node}: a node agent serving its models and joining its gateways. */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Runs a node agent: serves its models over the OpenAI API and heartbeats to its gateways.",
            "Configured by a YAML file (see docs/node.md); flags override the file."})
final class NodeCommand implements Callable<Integer> {

    @Mixin
    VerboseOption verbose;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The node's YAML file.")
    Path config;

    @Option(names = "--id", description = "Node id (overrides node.id).")
    String id;

    @Option(names = "--site", description = "Site id (overrides node.site).")
    String site;

    @Option(names = "--host", description = "Address to bind (overrides node.host; default 127.0.0.1).")
    String host;

    @Option(names = "--port", description = "Port (overrides node.port; 0 = any free port).")
    Integer port;

    @Option(names = "--gateway", paramLabel = "URL",
            description = "A gateway to join; repeat for several (replaces node.gateways).")
    List<URI> gateways;

    @Override
    public Integer call() throws InterruptedException {
        NodeConfig nodeConfig;
        try {
            NodeConfig fromFile = NodeConfig.load(config);
            NodeConfig.Builder b = fromFile.toBuilder();
            if (id != null || site != null) {
                b = NodeConfig.builder(id != null ? id : fromFile.nodeId(), site != null ? site : fromFile.siteId())
                        .host(fromFile.host()).port(fromFile.port()).gateways(fromFile.gateways())
                        .heartbeatInterval(fromFile.heartbeatInterval()).maxBodyBytes(fromFile.maxBodyBytes())
                        .queueLimit(fromFile.queueLimit()).power(fromFile.power()).models(fromFile.models());
                for (var slot : fromFile.slots().entrySet()) {
                    b.slots(slot.getKey(), slot.getValue());
                }
                if (fromFile.advertisedBaseUrl() != null) {
                    b.advertisedBaseUrl(fromFile.advertisedBaseUrl());
                }
            }
            if (host != null) {
                b.host(host);
            }
            if (port != null) {
                b.port(port);
            }
            if (gateways != null) {
                b.gateways(gateways);
            }
            nodeConfig = b.build();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        NodeAgent node;
        try {
            node = NodeAgent.start(nodeConfig);
        } catch (EngineException e) {
            throw new UserError("could not load a model: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            node.close();
            stopped.countDown();
        }));
        System.out.println("Lattice node " + node.nodeId() + " at site " + node.siteId() + " serving on "
                + node.baseUrl() + "; gateways: " + (nodeConfig.gateways().isEmpty() ? "none (standalone)"
                : nodeConfig.gateways()) + ". Ctrl-C stops it.");
        stopped.await();
        return 0;
    }
}
