package io.lattice.gateway;

import io.lattice.api.ApiError;
import io.lattice.core.Candidate;
import io.lattice.core.ModelCapability;
import io.lattice.core.NodeTelemetry;
import io.lattice.core.Placement;
import io.lattice.core.PlacementPolicy;
import io.lattice.core.ServedModel;
import io.lattice.core.WorkRequest;
import io.lattice.core.energy.CostModel;
import io.lattice.core.energy.EnergyCandidate;
import io.lattice.core.energy.EnergyCost;
import io.lattice.core.energy.EnergyDecision;
import io.lattice.core.energy.EnergyPolicy;
import io.lattice.core.energy.EnergyProfile;
import io.lattice.core.energy.SiteConditions;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a request into a {@link Lease} on a live node, and a finished request into what it cost.
 *
 * <p>Design note. Live nodes at sites the gateway knows become {@link EnergyCandidate}s — the site,
 * its {@link SiteConditions} at the clock's now (site IT draw = the sum of its live nodes' watts), the
 * node's learned energy profile (or {@link EnergyProfile#PRIOR}), its queue, the round trip — and the
 * request's {@link EnergyPolicy} decides among them (the same core code the simulator runs). Nodes at
 * sites the gateway does not know cannot be costed; they are kept as a fallback: when no node at a
 * known site can take the request and the request names no jurisdiction (an unknown site cannot prove
 * where it stands), the configured {@link PlacementPolicy} (least-loaded by default) chooses among
 * them. With no sites configured every node is such a node, so the gateway places exactly as before
 * energy-aware placement existed. When nothing can be chosen it says why, as an {@link ApiError}: 404
 * for a model the mesh does not serve (for this endpoint), 503 for one whose nodes are all stale, or
 * all outside the allowed jurisdictions, or all ruled out.
 *
 * <p>Thread-safe. Two requests placed at the same instant may both see the same counts and pick
 * the same node; the policy sees the first one's lease on the next request.
 */
final class Placer {

    private static final System.Logger LOG = System.getLogger(Placer.class.getName());

    private final NodeRegistry registry;
    private final PlacementPolicy fallback;
    private final SiteBook sites;
    private final CostModel costModel = new CostModel();

    Placer(NodeRegistry registry, PlacementPolicy fallback, SiteBook sites) {
        this.registry = registry;
        this.fallback = fallback;
        this.sites = sites;
    }

    /** A request to place: the work with its constraints, the policy it asked for, and whether to explain. */
    record Ask(WorkRequest work, EnergyPolicy policy, boolean explain) {
        Ask {
            Objects.requireNonNull(work, "work");
            Objects.requireNonNull(policy, "policy");
        }
    }

    /**
     * One placement attempt: the lease (null when nothing was chosen), the energy decision over nodes
     * at known sites (null when there were none), and the live candidates at unknown sites.
     *
     * @param site   the chosen node's site, or null when it is not a known site (or nothing was chosen)
     * @param policy the name of the policy that chose (the energy policy, or the fallback's)
     */
    record Attempt(Lease lease, EnergyDecision decision, List<Candidate> unknownSite, GatewaySite site,
                   EnergyProfile profile, String policy, String reason) {
        Attempt {
            unknownSite = List.copyOf(unknownSite);
        }

        Optional<Lease> placed() {
            return Optional.ofNullable(lease);
        }
    }

    /** Places {@code ask} on a live node not in {@code excluded}; the attempt's lease is null when none can take it. */
    Attempt tryPlace(Ask ask, Set<String> excluded) {
        WorkRequest work = ask.work();
        Instant now = registry.now();
        List<NodeEntry> live = registry.live(now);
        Map<String, Double> drawKw = siteDraws(live);
        List<EnergyCandidate> known = new ArrayList<>(live.size());
        List<Candidate> unknown = new ArrayList<>();
        Map<String, NodeEntry> byId = new HashMap<>(live.size() * 2);
        EnergyProfile meshPrior = SiteBook.meshPrior(live.stream().map(NodeEntry::telemetry).toList(), work.model());
        for (NodeEntry e : live) {
            if (excluded.contains(e.nodeId())) {
                continue;
            }
            Candidate c = e.candidate();
            byId.put(e.nodeId(), e);
            Optional<GatewaySite> site = sites.site(c.siteId());
            if (site.isEmpty()) {
                unknown.add(c);
                continue;
            }
            SiteConditions conditions = sites.conditions(site.get(), now, drawKw.getOrDefault(c.siteId(), 0.0));
            known.add(EnergyCandidate.of(c, site.get().site(), conditions,
                    SiteBook.profile(c.telemetry(), work.model(), meshPrior), sites.rtt(site.get().site())));
        }
        EnergyDecision decision = known.isEmpty() ? null : ask.policy().decide(work, known);
        if (decision != null && decision.chosen().isPresent()) {
            EnergyDecision.Row row = decision.chosen().get();
            NodeEntry chosen = byId.get(row.nodeId());
            LOG.log(Level.DEBUG, () -> "placed " + work + " on " + chosen.nodeId() + ": " + decision.reason());
            return new Attempt(chosen.acquire(), decision, unknown, sites.site(row.candidate().site().id())
                    .orElseThrow(), row.candidate().profile(), decision.policy(), decision.reason());
        }
        if (!unknown.isEmpty() && work.allowedJurisdictions().isEmpty()) {
            Optional<Placement> p = fallback.place(work, unknown);
            if (p.isPresent()) {
                NodeEntry chosen = byId.get(p.get().chosen().nodeId());
                if (chosen == null) {
                    throw new IllegalStateException("policy " + fallback.name() + " chose " + p.get().chosen().nodeId()
                            + ", which was not among its candidates");
                }
                String reason = (decision == null ? "" : decision.reason() + "; ") + fallback.name() + " among "
                        + unknown.size() + " node(s) at sites not in the sites file: " + p.get().reason();
                LOG.log(Level.DEBUG, () -> "placed " + work + " on " + chosen.nodeId() + ": " + reason);
                return new Attempt(chosen.acquire(), decision, unknown, null,
                        SiteBook.profile(chosen.telemetry(), work.model(), meshPrior), fallback.name(), reason);
            }
        }
        boolean fallbackTried = !unknown.isEmpty() && work.allowedJurisdictions().isEmpty();
        String policyName = decision == null && fallbackTried ? fallback.name() : ask.policy().name();
        String reason = decision == null
                ? (fallbackTried ? fallback.name() + " chose none of " + unknown.size() + " node(s)"
                : "no candidate node")
                : decision.reason() + (fallbackTried ? "; " + fallback.name() + " chose none of the " + unknown.size()
                + " node(s) at sites not in the sites file" : "");
        return new Attempt(null, decision, unknown, null, null, policyName, reason);
    }

    /**
     * Places {@code ask} on a live node.
     *
     * @throws io.lattice.api.ApiException 404 or 503 saying why no node can take it
     */
    Attempt place(Ask ask) {
        Attempt attempt = tryPlace(ask, Set.of());
        if (attempt.lease() == null) {
            throw whyNotPlaced(ask, attempt).toException();
        }
        return attempt;
    }

    /**
     * What a finished request cost at the chosen node's site, from its actual token counts: energy
     * from the node's learned J/token (or the prior), priced under the site's conditions now.
     *
     * <p>At a site the gateway does not know only the energy can be said; {@link Figures#cost()} is then null.
     */
    Figures account(Attempt attempt, int promptTokens, int completionTokens) {
        NodeTelemetry t = attempt.lease().node().telemetry();
        EnergyProfile profile = attempt.profile();
        double energyJ = profile.energyJ(promptTokens, completionTokens);
        if (attempt.site() == null) {
            return new Figures(promptTokens, completionTokens, energyJ, null, t.nodeId(), t.siteId(), attempt.policy(),
                    true, profile);
        }
        Instant now = registry.now();
        double draw = siteDraws(registry.live(now)).getOrDefault(t.siteId(), 0.0);
        SiteConditions conditions = sites.conditions(attempt.site(), now, draw);
        EnergyCost cost = costModel.account(energyJ, profile.serviceMs(promptTokens, completionTokens),
                attempt.site().site(), conditions, profile.measured());
        return new Figures(promptTokens, completionTokens, energyJ, cost, t.nodeId(), t.siteId(), attempt.policy(),
                cost.estimated(), profile);
    }

    /**
     * What one response cost: computed once, and the same values go into the response's
     * {@code usage.lattice} and into the ledger.
     *
     * @param promptTokens     the prompt tokens the figures were computed from (the node's {@code usage})
     * @param completionTokens the completion tokens the figures were computed from
     * @param energyJ   IT energy in J
     * @param cost      the full breakdown; null when the node's site is unknown
     * @param estimated true when any figure was modelled (power model, prior profile, forecast signal)
     */
    record Figures(int promptTokens, int completionTokens, double energyJ, EnergyCost cost, String node, String site,
                   String policy, boolean estimated, EnergyProfile basis) {
    }

    /** The IT draw of each site in kW: the sum of its live nodes' reported watts. */
    private static Map<String, Double> siteDraws(List<NodeEntry> live) {
        Map<String, Double> kw = new HashMap<>();
        for (NodeEntry e : live) {
            NodeTelemetry t = e.telemetry();
            kw.merge(t.siteId(), t.powerWatts() / 1000.0, Double::sum);
        }
        return kw;
    }

    /** Explains, from the registry as it is now and the last attempt, why {@code ask} has no node. */
    ApiError whyNotPlaced(Ask ask, Attempt attempt) {
        WorkRequest work = ask.work();
        Instant now = registry.now();
        List<GatewayErrors.NodeState> silentServing = new ArrayList<>();
        List<NodeTelemetry> liveServing = new ArrayList<>();
        Set<ModelCapability> otherCapabilities = EnumSet.noneOf(ModelCapability.class);
        for (NodeEntry e : registry.all()) {
            NodeTelemetry t = e.telemetry();
            if (t.serves(work.model(), work.capability())) {
                if (registry.isLive(e, now)) {
                    liveServing.add(t);
                } else {
                    silentServing.add(new GatewayErrors.NodeState(e.nodeId(), e.age(now)));
                }
            } else {
                for (ServedModel m : t.models()) {
                    if (m.id().equals(work.model())) {
                        otherCapabilities.addAll(m.capabilities());
                    }
                }
            }
        }
        if (!liveServing.isEmpty()) {
            if (!work.allowedJurisdictions().isEmpty() && noneWithin(work, liveServing)) {
                List<String> where = new ArrayList<>();
                for (NodeTelemetry t : liveServing) {
                    where.add(t.nodeId() + " at " + t.siteId() + " (" + sites.site(t.siteId())
                            .map(s -> s.site().jurisdiction().code()).orElse("unknown site") + ")");
                }
                return GatewayErrors.noNodeInJurisdiction(work.model(), work.allowedJurisdictions(), where);
            }
            return GatewayErrors.notPlaced(work.model(), attempt.policy(), liveServing.size(), attempt.reason());
        }
        if (!silentServing.isEmpty()) {
            return GatewayErrors.noLiveNode(work.model(), work.capability(), silentServing,
                    registry.heartbeatTimeout());
        }
        if (!otherCapabilities.isEmpty()) {
            return GatewayErrors.wrongEndpoint(work.model(), work.capability(), otherCapabilities);
        }
        return ApiError.modelNotFound(work.model());
    }

    private boolean noneWithin(WorkRequest work, List<NodeTelemetry> serving) {
        for (NodeTelemetry t : serving) {
            Optional<GatewaySite> site = sites.site(t.siteId());
            if (site.isPresent() && site.get().site().jurisdiction().withinAny(work.allowedJurisdictions())) {
                return false;
            }
        }
        return true;
    }
}
