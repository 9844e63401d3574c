package io.lattice.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import io.lattice.api.LatticeHeaders;
import io.lattice.core.energy.EnergyCost;

/**
 * Writes what a response cost into it: a {@code lattice} object inside {@code usage} and, for
 * non-streamed answers, the same figures as {@code x-lattice-*} headers. Units: J, gCO2e, USD, L,
 * kWh_th (see {@code docs/gateway.md}).
 *
 * <p>Stateless; thread-safe.
 */
final class Accounting {

    static final HeaderName ENERGY_J = HeaderNames.create(LatticeHeaders.ENERGY_J);
    static final HeaderName CARBON_G = HeaderNames.create(LatticeHeaders.CARBON_G);
    static final HeaderName COST_USD = HeaderNames.create(LatticeHeaders.COST_USD);
    static final HeaderName WATER_L = HeaderNames.create(LatticeHeaders.WATER_L);
    static final HeaderName HEAT_REUSED_KWH = HeaderNames.create(LatticeHeaders.HEAT_REUSED_KWH);
    static final HeaderName ESTIMATED = HeaderNames.create(LatticeHeaders.ESTIMATED);

    private Accounting() {
    }

    /**
     * Adds {@code usage.lattice} to an answer that carries {@code usage}, from its token counts.
     *
     * @return the figures, or null when the answer has no {@code usage} object (nothing to account)
     */
    static Placer.Figures addTo(ObjectNode root, Placer placer, Placer.Attempt attempt) {
        JsonNode usage = root.get("usage");
        if (!(usage instanceof ObjectNode u)) {
            return null;
        }
        int prompt = u.path("prompt_tokens").asInt(0);
        int completion = u.path("completion_tokens").asInt(0);
        Placer.Figures f = placer.account(attempt, Math.max(0, prompt), Math.max(0, completion));
        u.set("lattice", json(f));
        return f;
    }

    /**
     * The {@code lattice} usage object. At a site the gateway does not know only {@code energy_j} can be
     * said; carbon, cost, water and heat are then null.
     */
    static ObjectNode json(Placer.Figures f) {
        ObjectNode o = io.lattice.api.Json.object();
        o.put("energy_j", f.energyJ());
        EnergyCost c = f.cost();
        if (c == null) {
            o.putNull("carbon_g");
            o.putNull("cost_usd");
            o.putNull("water_l");
            o.putNull("heat_reused_kwh");
        } else {
            o.put("carbon_g", c.carbonG());
            o.put("cost_usd", c.costUsd());
            o.put("water_l", c.waterL());
            o.put("heat_reused_kwh", c.heatReusedKwhTh());
        }
        o.put("node", f.node());
        o.put("site", f.site());
        o.put("site_known", c != null);
        o.put("policy", f.policy());
        o.put("estimated", f.estimated());
        // the basis of energy_j, so anyone can check it: J/token learned by the node, the mesh's mean
        // for the model while the node is still learning, or the prior
        if (f.basis() != null) {
            o.put("joules_per_prompt_token", f.basis().joulesPerPromptToken());
            o.put("joules_per_output_token", f.basis().joulesPerOutputToken());
        }
        return o;
    }

    /** The same figures as response headers (numbers as Java writes doubles; absent when unknown). */
    static void headers(ServerResponse res, Placer.Figures f) {
        res.header(ENERGY_J, Double.toString(f.energyJ()));
        EnergyCost c = f.cost();
        if (c != null) {
            res.header(CARBON_G, Double.toString(c.carbonG()));
            res.header(COST_USD, Double.toString(c.costUsd()));
            res.header(WATER_L, Double.toString(c.waterL()));
            res.header(HEAT_REUSED_KWH, Double.toString(c.heatReusedKwhTh()));
        }
        res.header(ESTIMATED, Boolean.toString(f.estimated()));
    }
}
