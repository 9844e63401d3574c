package io.lattice.gateway;

import io.lattice.http.OpenAiErrors;
import io.lattice.store.StoreException;

import io.helidon.webserver.WebServer;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running Lattice gateway: the OpenAI API for clients, fed by node heartbeats, placing each
 * request on a live node and relaying the answer. See {@code docs/gateway.md} for the endpoints and
 * errors.
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.start(GatewayConfig.defaults().withPort(0))) {
 *     URI api = gateway.baseUrl().resolve("/v1");   // point an OpenAI SDK here
 * }
 * }</pre>
 *
 * <p>Every request placed on a node is written to the ledger in the store at
 * {@link GatewayConfig#storeUrl()} (off the request path), and {@code GET /lattice/v1/ledger} sums it.
 *
 * <p>Thread-safe. Requests run on virtual threads (Helidon SE); {@link #close()} stops accepting
 * connections, ends relays still running, writes the ledger entries still queued and is idempotent.
 */
public final class Gateway implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Gateway.class.getName());

    private final WebServer server;
    private final Relay relay;
    private final RequestLedger ledger;
    private final URI baseUrl;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Gateway(GatewayConfig config, WebServer server, Relay relay, RequestLedger ledger) {
        this.server = server;
        this.relay = relay;
        this.ledger = ledger;
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        this.baseUrl = URI.create("http://" + host + ":" + server.port());
    }

    /**
     * Opens the ledger store, binds the gateway and starts serving.
     *
     * @throws IllegalArgumentException when {@link GatewayConfig#storeUrl()} is malformed or not supported
     * @throws IllegalStateException    when the store cannot be opened, or the server cannot start (for
     *                                  example, the port is taken); the message names what and where
     */
    public static Gateway start(GatewayConfig config) {
        Objects.requireNonNull(config, "config");
        RequestLedger ledger;
        try {
            ledger = RequestLedger.open(config.storeUrl());
        } catch (StoreException e) {
            throw new IllegalStateException("cannot open the ledger store: " + e.getMessage(), e);
        }
        try {
            return start(config, ledger);
        } catch (RuntimeException | Error e) {
            ledger.close();
            throw e;
        }
    }

    private static Gateway start(GatewayConfig config, RequestLedger ledger) {
        NodeRegistry registry = new NodeRegistry(config.clock(), config.heartbeatTimeout());
        Placer placer = new Placer(registry, config.policy(), new SiteBook(config.sites(), config.location()));
        OpenAiErrors errors = new OpenAiErrors(config.maxBodyBytes());
        Relay relay = new Relay(placer, config.nodeConnectTimeout(), config.nodeRequestTimeout(), ledger);
        Routes routes = new Routes(registry, relay, errors, config.maxBodyBytes(), config.clock().instant(),
                config.defaultPolicy(), new LedgerApi(ledger));
        WebServer server;
        try {
            server = WebServer.builder()
                    .host(config.host())
                    .port(config.port())
                    .shutdownHook(false)
                    .maxPayloadSize(config.maxBodyBytes())
                    .directHandlers(errors.directHandlers())
                    .routing(routes::register)
                    .build()
                    .start();
        } catch (RuntimeException e) {
            relay.close();
            throw new IllegalStateException("cannot start the gateway on " + config.host() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        }
        Gateway gateway = new Gateway(config, server, relay, ledger);
        LOG.log(Level.INFO, () -> "gateway listening on " + gateway.baseUrl + " (placement "
                + (config.sites().isEmpty() ? config.policy().name()
                : config.defaultPolicy() + " over " + config.sites().size() + " sites, " + config.policy().name()
                + " for nodes at other sites") + ", heartbeat timeout " + Durations.seconds(config.heartbeatTimeout())
                + ", ledger " + ledger.url() + ")");
        return gateway;
    }

    /** The port bound, which is the chosen free port when the config asked for 0. */
    public int port() {
        return server.port();
    }

    /** {@code http://host:port}, without a path; the OpenAI API is under {@code /v1}. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** Where the ledger is, as the store names it, for example {@code sqlite:/var/lib/lattice/lattice.db}. */
    public String ledgerUrl() {
        return ledger.url();
    }

    /**
     * Stops serving, ends relays still running, writes every ledger entry still queued and closes the
     * store. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                server.stop();
            } finally {
                try {
                    relay.close();
                } finally {
                    ledger.close(); // after the relays: their entries are queued by then
                }
            }
            LOG.log(Level.INFO, () -> "gateway on " + baseUrl + " stopped");
        }
    }

    @Override
    public String toString() {
        return "Gateway[" + baseUrl + "]";
    }
}
