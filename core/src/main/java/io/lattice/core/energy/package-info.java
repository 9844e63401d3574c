/**
 * Energy-aware placement: sites, their conditions at one instant, per-token energy profiles, the cost
 * model and the policies that turn costs into a choice of node.
 *
 * <p>Pure Java: no I/O, no threads, no clock; every type is an immutable value or a stateless
 * function of its inputs, so the gateway and the simulator run the same code.
 *
 * <p>Units are in the names: J, kWh, kW, kW_th, kWh_th, gCO2e/kWh, USD/MWh, USD, L/kWh, L, ms.
 *
 * <p>How a caller places a request:
 * <ol>
 *   <li>describe each candidate node as an {@link io.lattice.core.energy.EnergyCandidate}: its
 *       {@link io.lattice.core.energy.Site}, the site's {@link io.lattice.core.energy.SiteConditions}
 *       now, the node's {@link io.lattice.core.energy.EnergyProfile} for the model (or
 *       {@link io.lattice.core.energy.EnergyProfile#PRIOR}), its queue and the
 *       {@link io.lattice.core.energy.Rtt};</li>
 *   <li>ask an {@link io.lattice.core.energy.EnergyPolicy} from
 *       {@link io.lattice.core.energy.EnergyPolicies} to decide, directly or through
 *       {@link io.lattice.core.energy.EnergyPolicies#asPlacementPolicy};</li>
 *   <li>read the {@link io.lattice.core.energy.EnergyDecision}: the chosen node, the reason, and the
 *       table with every candidate's {@link io.lattice.core.energy.CostBreakdown}.</li>
 * </ol>
 */
package io.lattice.core.energy;
