package io.lattice.api;

/** Lattice's own HTTP headers, on responses to clients and between gateway and node. */
public final class LatticeHeaders {
    /** The node that served the request. */
    public static final String NODE = "x-lattice-node";
    /** The site of that node. */
    public static final String SITE = "x-lattice-site";
    /** Carried from client to gateway to node and into logs. */
    public static final String REQUEST_ID = "x-request-id";

    /** Request: placement policy for this request, {@code fastest|cheapest|greenest|balanced}. */
    public static final String POLICY = "x-lattice-policy";
    /** Request: latency objective, the most time to first token in ms (a positive number). */
    public static final String TTFT_MS = "x-lattice-ttft-ms";
    /** Request: where the work may run, comma-separated ISO 3166 codes ({@code FR,DE} or {@code FR-BRE}). */
    public static final String JURISDICTION = "x-lattice-jurisdiction";
    /**
     * Request: {@code true} asks for the placement's candidate table. Response: one line per candidate
     * (ASCII), the header repeated once per line.
     */
    public static final String EXPLAIN = "x-lattice-explain";

    /** Response: the placement policy that chose the node. */
    public static final String POLICY_USED = "x-lattice-policy";
    /** Response: IT energy of the request in J. */
    public static final String ENERGY_J = "x-lattice-energy-j";
    /** Response: emissions in gCO2e. */
    public static final String CARBON_G = "x-lattice-carbon-g";
    /** Response: net money in USD (grid cost minus heat credit; may be negative). */
    public static final String COST_USD = "x-lattice-cost-usd";
    /** Response: water in L. */
    public static final String WATER_L = "x-lattice-water-l";
    /** Response: heat delivered to the site's heat taker, in kWh_th. */
    public static final String HEAT_REUSED_KWH = "x-lattice-heat-reused-kwh";
    /** Response: {@code true} when any figure was modelled rather than metered. */
    public static final String ESTIMATED = "x-lattice-estimated";

    private LatticeHeaders() {
    }
}
