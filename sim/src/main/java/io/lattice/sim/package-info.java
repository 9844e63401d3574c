/**
 * Discrete-event placement replay: a request trace against simulated sites whose signals come from
 * recorded grid files, placed by the very same core policies the gateway runs
 * ({@link io.lattice.core.energy.EnergyPolicies}, {@link io.lattice.core.LeastLoadedPolicy}).
 *
 * <p>No HTTP, no threads, no clock: simulated time only, so a run is deterministic. The caller opens
 * files and hands in {@link java.io.Reader}s or parsed series.
 */
package io.lattice.sim;
