package io.lattice.core.energy;

import io.lattice.core.GeoPoint;

import io.lattice.core.Candidate;
import io.lattice.core.ModelCapability;
import io.lattice.core.NodeTelemetry;
import io.lattice.core.ServedModel;
import io.lattice.core.WorkRequest;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Constructed nodes, sites and requests for the energy tests; every default is named here. */
final class Fixtures {

    static final ServedModel TINY = new ServedModel("tiny", Set.of(ModelCapability.CHAT), "gguf");
    static final ServedModel MINILM = new ServedModel("minilm", Set.of(ModelCapability.EMBEDDINGS), "onnx");
    static final Instant NOW = Instant.parse("2023-06-01T12:00:00Z");

    /** Measured: 0.5 J per prompt token, 2 J per output token, 1000 prompt tokens/s, 50 output tokens/s. */
    static final EnergyProfile PROFILE = new EnergyProfile(0.5, 2, 1000, 50, true);

    static final GeoPoint FRANKFURT = new GeoPoint(50.1109, 8.6821);
    static final GeoPoint PARIS = new GeoPoint(48.8566, 2.3522);
    static final GeoPoint BERLIN = new GeoPoint(52.5200, 13.4050);
    static final GeoPoint RENNES = new GeoPoint(48.1173, -1.6778);
    static final GeoPoint SYDNEY = new GeoPoint(-33.8688, 151.2093);

    /** 1,000 prompt tokens and 200 output tokens, streamed chat, no objective, anywhere. */
    static final WorkRequest CHAT = new WorkRequest("tiny", ModelCapability.CHAT, true).withExpectedTokens(1000, 200);

    private Fixtures() {
    }

    /** PUE 1.2, no water, no power limit, in DE at Frankfurt, no heat sink. */
    static Site site(String id) {
        return new Site(id, "DE-LU", 1.2, 0, Double.POSITIVE_INFINITY, Jurisdiction.parse("DE"), FRANKFURT,
                HeatSink.NONE);
    }

    static Site site(String id, String jurisdiction, GeoPoint location) {
        return new Site(id, "ZONE", 1.2, 0, Double.POSITIVE_INFINITY, Jurisdiction.parse(jurisdiction), location,
                HeatSink.NONE);
    }

    static Node node(String id) {
        return new Node(id);
    }

    /**
     * A node with: its own site (see {@link #site(String)}), carbon 300 gCO2e/kWh, price 100 USD/MWh, no
     * on-site generation, no heat demand, 1 kW site IT draw, profile {@link #PROFILE}, RTT 20 ms measured,
     * empty queue with 500 ms mean service, serving {@link #TINY}.
     */
    static final class Node {
        private final String id;
        private Site site;
        private double carbon = 300;
        private double price = 100;
        private double onsiteKw;
        private double heatDemandKwTh;
        private double drawKw = 1;
        private EnergyProfile profile = PROFILE;
        private Rtt rtt = Rtt.measured(20);
        private int queue;
        private long placed;
        private List<ServedModel> models = List.of(TINY);

        Node(String id) {
            this.id = id;
            this.site = Fixtures.site("site-" + id);
        }

        Node site(Site s) {
            this.site = s;
            return this;
        }

        Node carbon(double gPerKwh) {
            this.carbon = gPerKwh;
            return this;
        }

        Node price(double usdPerMwh) {
            this.price = usdPerMwh;
            return this;
        }

        Node onsite(double kw) {
            this.onsiteKw = kw;
            return this;
        }

        Node heatDemand(double kwTh) {
            this.heatDemandKwTh = kwTh;
            return this;
        }

        Node draw(double kw) {
            this.drawKw = kw;
            return this;
        }

        Node profile(EnergyProfile p) {
            this.profile = p;
            return this;
        }

        Node rtt(Rtt r) {
            this.rtt = r;
            return this;
        }

        Node rttMs(double ms) {
            return rtt(Rtt.measured(ms));
        }

        Node queue(int depth) {
            this.queue = depth;
            return this;
        }

        Node placed(long n) {
            this.placed = n;
            return this;
        }

        Node models(ServedModel... served) {
            this.models = List.of(served);
            return this;
        }

        EnergyCandidate build() {
            NodeTelemetry t = new NodeTelemetry(id, site.id(), "http://127.0.0.1:1", models, queue, 0, 0, 100, false,
                    NOW);
            Candidate c = new Candidate(t, 0, placed);
            SiteConditions conditions = new SiteConditions(NOW, carbon, price, onsiteKw, heatDemandKwTh, drawKw);
            return new EnergyCandidate(c, site, conditions, profile, new QueueState(queue, 500, 1), rtt);
        }
    }
}
