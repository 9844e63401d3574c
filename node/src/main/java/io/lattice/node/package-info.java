/**
 * The node agent: serves a node's inference engines over the OpenAI API, queues requests in front
 * of them, estimates its power draw, and sends heartbeats to its gateways.
 *
 * <p>Public surface: {@link io.lattice.node.NodeAgent} (start, stop, identity, telemetry) and
 * {@link io.lattice.node.NodeConfig} (built in code or read from YAML). The gateway-node protocol
 * is described in {@code docs/node-protocol.md}.
 */
package io.lattice.node;
