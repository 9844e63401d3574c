package io.lattice.gateway;

import io.lattice.core.GeoPoint;
import io.lattice.core.ModelEnergy;
import io.lattice.core.NodeTelemetry;
import io.lattice.core.energy.EnergyProfile;
import io.lattice.core.energy.Rtt;
import io.lattice.core.energy.RttModel;
import io.lattice.core.energy.Site;
import io.lattice.core.energy.SiteConditions;
import io.lattice.core.energy.SiteConditions.Quantity;
import io.lattice.core.signal.SignalKind;
import io.lattice.core.signal.SignalReading;
import io.lattice.core.signal.SiteSignals;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sites the gateway knows and how it turns their signals and its nodes' telemetry into what
 * the cost model reads: {@link SiteConditions} now, a round trip, an {@link EnergyProfile}.
 *
 * <p>Immutable and thread-safe: signal sources answer from what they hold, without blocking.
 */
final class SiteBook {

    private final Map<String, GatewaySite> sites;
    private final GeoPoint location;
    private final RttModel rttModel = RttModel.DEFAULT;

    /** @param location where the gateway stands, or null when unknown (every RTT is then 0 ms) */
    SiteBook(List<GatewaySite> sites, GeoPoint location) {
        Map<String, GatewaySite> byId = new LinkedHashMap<>();
        for (GatewaySite s : sites) {
            byId.put(s.id(), s);
        }
        this.sites = Map.copyOf(byId);
        this.location = location;
    }

    boolean isEmpty() {
        return sites.isEmpty();
    }

    Optional<GatewaySite> site(String id) {
        return Optional.ofNullable(sites.get(id));
    }

    /**
     * The site's conditions at {@code at}. A value that comes from a forecast or a carried-forward
     * reading is flagged as such (figures derived from it are then estimated); a kind the site does
     * not provide is 0 (no on-site generation, no heat wanted); a provided kind with nothing usable is
     * flagged stale and taken as 0, except carbon intensity and price, which take the pessimistic
     * stand-ins below.
     *
     * @param siteItDrawKw the site's IT draw now in kW (sum of its live nodes' telemetry)
     */
    SiteConditions conditions(GatewaySite site, Instant at, double siteItDrawKw) {
        SiteSignals signals = site.signals().conditions(at);
        Set<Quantity> forecast = EnumSet.noneOf(Quantity.class);
        Set<Quantity> stale = EnumSet.noneOf(Quantity.class);
        Set<SignalKind> provided = site.signals().kinds();
        double carbon = value(signals, provided, SignalKind.CARBON_INTENSITY, Quantity.CARBON_INTENSITY, forecast,
                stale);
        double price = value(signals, provided, SignalKind.PRICE, Quantity.PRICE, forecast, stale);
        double generation = value(signals, provided, SignalKind.GENERATION, Quantity.ONSITE_GENERATION, forecast,
                stale);
        double heat = value(signals, provided, SignalKind.HEAT_DEMAND, Quantity.HEAT_DEMAND, forecast, stale);
        return new SiteConditions(at, Math.max(0, carbon), price, Math.max(0, generation), Math.max(0, heat),
                siteItDrawKw, forecast, stale);
    }

    /**
     * Stand-ins for a carbon intensity or price the site cannot tell now, in gCO2e/kWh and USD/MWh.
     * Pessimistic on purpose (a coal-heavy grid, a scarcity price): a site whose signals fail must not
     * look free and clean and draw all the work to itself. Figures that use them are flagged stale,
     * so they are reported as estimated.
     */
    static final double UNKNOWN_CARBON_G_PER_KWH = 700;
    static final double UNKNOWN_PRICE_USD_PER_MWH = 300;

    private static double value(SiteSignals signals, Set<SignalKind> provided, SignalKind kind, Quantity quantity,
                                Set<Quantity> forecast, Set<Quantity> stale) {
        Optional<SignalReading> r = signals.get(kind);
        if (r.isEmpty()) {
            if (provided.contains(kind) || kind == SignalKind.CARBON_INTENSITY || kind == SignalKind.PRICE) {
                stale.add(quantity);
            }
            return switch (kind) {
                case CARBON_INTENSITY -> UNKNOWN_CARBON_G_PER_KWH;
                case PRICE -> UNKNOWN_PRICE_USD_PER_MWH;
                default -> 0; // no on-site generation, no heat wanted: the cautious reading of "unknown"
            };
        }
        switch (r.get().provenance()) {
            case FORECAST -> forecast.add(quantity);
            case LAST_GOOD -> stale.add(quantity);
            default -> {
                // a current reading
            }
        }
        return r.get().value();
    }

    /** Round trip from the gateway to {@code site}: estimated from distance, or 0 when the gateway's place is unknown. */
    Rtt rtt(Site site) {
        return location == null ? new Rtt(0, false) : rttModel.estimate(location, site.location());
    }

    /**
     * What the node has learned about {@code model} (rates it has not measured yet come from
     * {@code prior}), else {@code prior}. Measured only when the node's meter, not a power model,
     * stands behind it.
     */
    static EnergyProfile profile(NodeTelemetry telemetry, String model, EnergyProfile prior) {
        Optional<ModelEnergy> learned = telemetry.energyOf(model);
        if (learned.isEmpty()) {
            return prior;
        }
        ModelEnergy e = learned.get();
        return new EnergyProfile(e.joulesPerPromptToken(), e.joulesPerOutputToken(),
                e.prefillTokensPerSecond() > 0 ? e.prefillTokensPerSecond() : prior.prefillTokensPerSecond(),
                e.decodeTokensPerSecond() > 0 ? e.decodeTokensPerSecond() : prior.decodeTokensPerSecond(),
                !e.estimated());
    }

    /**
     * The profile assumed for a node that has not learned {@code model} yet: the mean of what the other
     * nodes have learned about the same model, else {@link EnergyProfile#PRIOR}. Why: the global prior
     * describes a 7-8B model on a GPU; against a small model's learned figures it is off by orders of
     * magnitude, and a fresh node would look so much dearer that it never got the work it needs to learn.
     * Marked estimated, since it was measured elsewhere.
     */
    static EnergyProfile meshPrior(List<NodeTelemetry> nodes, String model) {
        List<ModelEnergy> learned = nodes.stream().flatMap(t -> t.energyOf(model).stream())
                .filter(e -> e.samples() > 0).toList();
        if (learned.isEmpty()) {
            return EnergyProfile.PRIOR;
        }
        EnergyProfile prior = EnergyProfile.PRIOR;
        double prompt = learned.stream().mapToDouble(ModelEnergy::joulesPerPromptToken).average().orElseThrow();
        double output = learned.stream().mapToDouble(ModelEnergy::joulesPerOutputToken).average().orElseThrow();
        double prefill = learned.stream().mapToDouble(ModelEnergy::prefillTokensPerSecond).filter(r -> r > 0)
                .average().orElse(prior.prefillTokensPerSecond());
        double decode = learned.stream().mapToDouble(ModelEnergy::decodeTokensPerSecond).filter(r -> r > 0)
                .average().orElse(prior.decodeTokensPerSecond());
        return new EnergyProfile(prompt, output, prefill, decode, false);
    }
}
