package io.lattice.cli;

import io.lattice.engine.EngineException;
import io.lattice.engine.ModelSpec;
import io.lattice.engine.gguf.TinyModels;
import io.lattice.gateway.Gateway;
import io.lattice.gateway.GatewayConfig;
import io.lattice.node.NodeAgent;
import io.lattice.node.NodeConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lattice demo}: a gateway and one node per site of the demo mesh, all in this JVM on
 * loopback, each node serving a GGUF chat model and the bundled MiniLM embedding model.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs a demo mesh in one process: a gateway and four nodes at four named sites.",
            "Each node serves a GGUF chat model (yours with --model, else a tiny random one whose output is noise)",
            "and the all-MiniLM-L6-v2 embedding model."})
final class DemoCommand implements Callable<Integer> {

    static final String TINY_MODEL_ID = "tiny-random-llama";
    static final long TINY_MODEL_SEED = 42;
    /** The demo's ledger, inside its cache directory (not the user's real ledger). */
    static final String DEMO_STORE_FILE = "lattice.db";

    @Mixin
    VerboseOption verbose;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address the gateway and nodes bind to (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Gateway port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--model", paramLabel = "PATH", defaultValue = "${env:LATTICE_MODEL}",
            description = "A GGUF chat model to serve (default: $LATTICE_MODEL, else a tiny random model).")
    Path model;

    @Option(names = "--model-name", paramLabel = "NAME",
            description = "The name clients use for the chat model (default: the file name without .gguf).")
    String modelName;

    @Option(names = "--context", defaultValue = "2048",
            description = "Context size of the chat model in tokens (default: ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "0",
            description = "Send N mixed sample requests through the gateway, print a table per site, and exit.")
    int requests;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A demo mesh file (sites and nodes) instead of the bundled demo-mesh.yaml.")
    Path config;

    @Option(names = "--policy", paramLabel = "NAME", defaultValue = GatewayConfig.DEFAULT_POLICY,
            description = "Placement policy for requests without x-lattice-policy: fastest, cheapest, greenest or"
                    + " balanced (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--cache-dir", paramLabel = "DIR", defaultValue = "${env:LATTICE_HOME}",
            description = "Where the tiny model and the ledger are written (default: $LATTICE_HOME, else"
                    + " ~/.cache/lattice).")
    Path cacheDir;

    @Option(names = "--store", paramLabel = "URL",
            description = "Where the ledger is kept: sqlite:/path/lattice.db or a file path (default:"
                    + " <cache-dir>/lattice.db).")
    String store;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (requests < 0) {
            throw new UserError("--requests must be 0 or more but was " + requests);
        }
        if (!io.lattice.core.energy.EnergyPolicies.NAMES.contains(policy)) {
            throw new UserError("--policy must be one of " + io.lattice.core.energy.EnergyPolicies.NAMES
                    + " but was '" + policy + "'");
        }
        DemoMesh mesh = DemoMesh.load(config, java.time.Instant.now());
        ChatModel chat = chatModel(out);
        String embeddingModel = ModelSpec.BundledMiniLm.DEFAULT_ID;

        List<AutoCloseable> running = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = Thread.ofPlatform().unstarted(() -> {
            out.println("Stopping the demo mesh...");
            closeAll(running);
            out.println("Stopped.");
            stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        AutoCloseable quiet = Logging.quietStartup();
        try {
            Gateway gateway = startGateway(mesh);
            running.add(gateway);
            out.println("Starting " + mesh.sites().size() + " nodes (loading models)...");
            for (DemoMesh.Site site : mesh.sites()) {
                NodeConfig nodeConfig = NodeConfig.builder(site.node(), site.id())
                        .host(host)
                        .port(0)
                        .addGateway(gateway.baseUrl())
                        .power(new NodeConfig.Power(site.idleWatts(), site.maxWatts())
                                // several nodes share this machine: a real meter would charge each
                                // of them the whole machine's energy, so each uses its site's model
                                .withSource(NodeConfig.PowerSource.MODEL))
                        .addModel(new ModelSpec.Gguf(chat.id(), chat.path(), context, 1))
                        .addModel(new ModelSpec.BundledMiniLm(embeddingModel))
                        .build();
                running.add(0, startNode(nodeConfig));
                out.println("  " + site.node() + " at " + site.id() + " (" + site.name() + ", " + site.country()
                        + "): " + site.context());
            }
            MeshReady.await(gateway.baseUrl(), mesh.sites().size(), Duration.ofSeconds(30));
            if (requests == 0) {
                quiet.close(); // from here on, nodes that go silent or come back are worth a line
            }

            URI url = gateway.baseUrl();
            out.println();
            out.println("Lattice demo mesh is up: " + url + "  (OpenAI API at " + url.resolve("/v1") + ")");
            out.println("Models: " + chat.id() + " (chat, completions), " + embeddingModel + " (embeddings)");
            if (chat.noise()) {
                out.println("Note: " + chat.id() + " has random weights, so its answers are noise. For real answers run");
                out.println("      ./lattice demo --model /path/to/a-chat-model.gguf   (or set LATTICE_MODEL)");
            }
            out.println();
            out.println("Try:");
            out.println("  curl -s " + url.resolve("/v1/chat/completions") + " -H 'content-type: application/json' \\");
            out.println("    -d '{\"model\":\"" + chat.id() + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],"
                    + "\"max_tokens\":16}'");
            out.println("  curl -s " + url.resolve("/v1/embeddings") + " -H 'content-type: application/json' \\");
            out.println("    -d '{\"model\":\"" + embeddingModel + "\",\"input\":[\"a cat sits on the mat\"]}'");
            out.println("Placement: " + policy + " by default; per request x-lattice-policy: fastest|cheapest|greenest|"
                    + "balanced, x-lattice-explain: true");
            out.println("Nodes: curl -s " + url.resolve("/lattice/v1/nodes"));
            out.println("Ledger: " + gateway.ledgerUrl() + "  (sums: curl -s '" + url.resolve("/lattice/v1/ledger")
                    + "?by=site')");
            out.println();

            if (requests > 0) {
                out.println("Sending " + requests + " sample requests...");
                DemoTraffic traffic = new DemoTraffic(url, chat.id(), embeddingModel);
                List<DemoTraffic.Outcome> outcomes = traffic.send(requests, 4, out);
                out.println();
                DemoTraffic.printTable(DemoTraffic.bySite(outcomes), outcomes, out);
                boolean allOk = outcomes.stream().allMatch(o -> o.error() == null);
                return allOk ? 0 : 1;
            }
            out.println("Press Ctrl-C to stop.");
            stopped.await();
            return 0;
        } finally {
            if (stopped.getCount() > 0) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                    closeAll(running);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running and closes everything
                }
            }
            quiet.close();
        }
    }

    private Gateway startGateway(DemoMesh mesh) {
        GatewayConfig gatewayConfig = GatewayConfig.defaults().withHost(host).withPort(port)
                .withSites(mesh.energySites()).withDefaultPolicy(policy)
                .withLocation(mesh.gatewayLocation() == null ? null : mesh.gatewayLocation().point())
                .withStoreUrl(store != null ? store : "sqlite:" + cacheDir().resolve(DEMO_STORE_FILE));
        try {
            return Gateway.start(gatewayConfig);
        } catch (IllegalArgumentException e) {
            throw new UserError("--store: " + e.getMessage());
        } catch (RuntimeException e) {
            if (hasCause(e, java.net.BindException.class)) {
                throw new UserError("port " + port + " on " + host + " is taken; choose another with --port");
            }
            throw e;
        }
    }

    private static NodeAgent startNode(NodeConfig nodeConfig) {
        try {
            return NodeAgent.start(nodeConfig);
        } catch (EngineException e) {
            throw new UserError("node " + nodeConfig.nodeId() + " could not load its models: " + e.getMessage());
        }
    }

    private record ChatModel(String id, Path path, boolean noise) {
    }

    private ChatModel chatModel(PrintStream out) throws IOException {
        if (model != null) {
            if (!Files.isRegularFile(model)) {
                throw new UserError("--model " + model + ": no such file (give the path of a .gguf file)");
            }
            String name = modelName != null ? modelName
                    : model.getFileName().toString().replaceFirst("(?i)\\.gguf$", "");
            return new ChatModel(name, model, false);
        }
        Path dir = cacheDir().resolve("models");
        Path file = dir.resolve(TINY_MODEL_ID + ".gguf");
        if (!Files.isRegularFile(file)) {
            Files.createDirectories(dir);
            Path partial = dir.resolve(TINY_MODEL_ID + ".gguf.partial");
            TinyModels.writeRandomLlama(partial, TINY_MODEL_SEED);
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            out.println("Wrote a tiny random-weight GGUF model to " + file);
        }
        return new ChatModel(modelName != null ? modelName : TINY_MODEL_ID, file, true);
    }

    /** The demo's own directory: {@code --cache-dir}, else {@code $LATTICE_HOME}, else {@code ~/.cache/lattice}. */
    private Path cacheDir() {
        return cacheDir != null ? cacheDir : Path.of(System.getProperty("user.home"), ".cache", "lattice");
    }

    private static void closeAll(List<AutoCloseable> running) {
        for (AutoCloseable c : List.copyOf(running)) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("lattice: while stopping: " + e);
            }
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
