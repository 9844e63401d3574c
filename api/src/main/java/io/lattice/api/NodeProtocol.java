package io.lattice.api;

/**
 * The gateway-node protocol beyond the OpenAI API; documented in {@code docs/node-protocol.md}.
 *
 * <p>A node sends its {@link io.lattice.core.NodeTelemetry} as JSON to
 * {@link #HEARTBEAT} on each gateway it joins, about once a second. The first heartbeat announces
 * the node; a node that stops sending them stops getting work.
 */
public final class NodeProtocol {
    /** {@code POST}, body: NodeTelemetry JSON; answer 204. Served by gateways. */
    public static final String HEARTBEAT = "/lattice/v1/nodes/heartbeat";
    /** {@code GET}, answer: health JSON. Served by nodes and gateways. */
    public static final String HEALTH = "/lattice/v1/health";
    /** {@code GET}, answer: the node list with telemetry. Served by gateways. */
    public static final String NODES = "/lattice/v1/nodes";

    private NodeProtocol() {
    }
}
