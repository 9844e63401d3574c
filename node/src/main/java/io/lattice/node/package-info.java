/**
 * The node agent: serves a node's inference engines over the OpenAI API, queues requests in front
 * of them, meters its power draw (RAPL and NVML where the machine allows, a calibrated model
 * otherwise), learns each model's joules per token from the requests it runs, and sends heartbeats
 * to its gateways.
 *
 * <p>Public surface: {@link io.lattice.node.NodeAgent} (start, stop, identity, telemetry) and
 * {@link io.lattice.node.NodeConfig} (built in code or read from YAML). The gateway-node protocol
 * is described in {@code docs/node-protocol.md}.
 */
package io.lattice.node;
