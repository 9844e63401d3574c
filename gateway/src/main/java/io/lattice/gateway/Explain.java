package io.lattice.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lattice.api.Json;
import io.lattice.core.Candidate;
import io.lattice.core.WorkRequest;
import io.lattice.core.energy.EnergyCost;
import io.lattice.core.energy.EnergyDecision;
import io.lattice.core.energy.LatencyEstimate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The candidate table of a placement ({@code x-lattice-explain: true}): as JSON for the body's
 * {@code lattice.explain}, and as one ASCII line per candidate for the {@code x-lattice-explain}
 * response header. Nodes at sites the gateway does not know are listed as {@code unknown site}.
 */
final class Explain {

    private Explain() {
    }

    static ObjectNode json(Placer.Attempt a, WorkRequest work) {
        ObjectNode o = Json.object();
        o.put("policy", a.policy());
        o.put("reason", a.reason());
        EnergyDecision d = a.decision();
        o.put("objective_missed", d != null && d.objectiveMissed());
        String chosen = a.lease() == null ? null : a.lease().node().nodeId();
        ArrayNode rows = o.putArray("candidates");
        if (d != null) {
            for (EnergyDecision.Row r : d.table()) {
                ObjectNode n = rows.addObject();
                n.put("node", r.nodeId());
                n.put("site", r.candidate().site().id());
                n.put("site_known", true);
                n.put("chosen", r.nodeId().equals(chosen));
                n.put("eligible", r.eligible());
                if (Double.isNaN(r.score())) {
                    n.putNull("score");
                } else {
                    n.put("score", r.score());
                }
                ArrayNode ex = n.putArray("exclusions");
                for (EnergyDecision.Exclusion x : r.exclusions()) {
                    ex.addObject().put("reason", x.reason().name().toLowerCase(Locale.ROOT)).put("detail", x.detail());
                }
                EnergyCost e = r.cost().energy();
                LatencyEstimate l = r.cost().latency();
                n.put("energy_j", e.itEnergyJ());
                n.put("facility_kwh", e.facilityEnergyKwh());
                n.put("cost_usd", e.costUsd());
                n.put("carbon_g", e.carbonG());
                n.put("water_l", e.waterL());
                n.put("heat_reused_kwh", e.heatReusedKwhTh());
                n.put("onsite_share", e.onsiteShare());
                n.put("site_draw_kw", e.siteFacilityDrawKw());
                n.put("rtt_ms", l.rttMs());
                n.put("queue_ms", l.queueWaitMs());
                n.put("ttft_ms", l.ttftMs());
                n.put("total_ms", l.totalMs());
                n.put("estimated", e.estimated());
                n.put("carbon_g_per_kwh", r.candidate().conditions().carbonIntensityGPerKwh());
                n.put("price_usd_per_mwh", r.candidate().conditions().priceUsdPerMwh());
            }
        }
        for (Candidate c : a.unknownSite()) {
            ObjectNode n = rows.addObject();
            n.put("node", c.nodeId());
            n.put("site", c.siteId());
            n.put("site_known", false);
            n.put("chosen", c.nodeId().equals(chosen));
            n.put("eligible", work.allowedJurisdictions().isEmpty());
            n.putNull("score");
            n.putArray("exclusions");
            n.put("note", "unknown site: not costed; placed least-loaded only when no node at a known site can"
                    + " take the request");
        }
        return o;
    }

    /** One printable-ASCII line per candidate, the chosen one marked. */
    static List<String> lines(Placer.Attempt a) {
        List<String> lines = new ArrayList<>();
        String chosen = a.lease() == null ? null : a.lease().node().nodeId();
        if (a.decision() != null) {
            lines.addAll(a.decision().lines());
        }
        for (Candidate c : a.unknownSite()) {
            lines.add(c.nodeId() + " @ " + c.siteId() + ": unknown site (not in the sites file), not costed - "
                    + (c.nodeId().equals(chosen) ? "CHOSEN by " + a.policy() + " (no node at a known site could take it)"
                    : "used only when no node at a known site can take the request"));
        }
        List<String> ascii = new ArrayList<>(lines.size());
        for (String l : lines) {
            ascii.add(ascii(l));
        }
        return ascii;
    }

    private static String ascii(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            b.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
        }
        return b.toString();
    }
}
