package io.lattice.core.energy;

import io.lattice.core.PlacementPolicy;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The standard energy-aware policies and their adapter to {@link PlacementPolicy}.
 *
 * <pre>{@code
 * EnergyPolicy greenest = EnergyPolicies.greenest();
 * EnergyPolicy custom = EnergyPolicies.builder("balanced")
 *         .weights(new PolicyWeights(0.5, 0.1, 0.3, 0, 0.1))
 *         .nearTies(0.05, new SplittableRandom(42))
 *         .build();
 * PlacementPolicy forGateway = EnergyPolicies.asPlacementPolicy(greenest, context);
 * }</pre>
 *
 * <p>Every policy is the same scorer with different weights; see {@link ScoringPolicy}'s design note
 * for the algorithm.
 */
public final class EnergyPolicies {

    /** Lowest latency. */
    public static final String FASTEST = "fastest";
    /** Lowest net money. */
    public static final String CHEAPEST = "cheapest";
    /** Lowest carbon. */
    public static final String GREENEST = "greenest";
    /** A weighted mix of latency, money, carbon, water and load. */
    public static final String BALANCED = "balanced";

    /** Every policy name, for {@code x-lattice-policy} validation and help texts. */
    public static final List<String> NAMES = List.of(FASTEST, CHEAPEST, GREENEST, BALANCED);

    private EnergyPolicies() {
    }

    /** Lowest latency ({@link PolicyWeights#FASTEST}), deterministic. */
    public static EnergyPolicy fastest() {
        return builder(FASTEST).build();
    }

    /** Lowest net money ({@link PolicyWeights#CHEAPEST}), deterministic. */
    public static EnergyPolicy cheapest() {
        return builder(CHEAPEST).build();
    }

    /** Lowest carbon ({@link PolicyWeights#GREENEST}), deterministic. */
    public static EnergyPolicy greenest() {
        return builder(GREENEST).build();
    }

    /** Balanced with {@link PolicyWeights#BALANCED}, deterministic. */
    public static EnergyPolicy balanced() {
        return builder(BALANCED).build();
    }

    /** Balanced with the given weights, deterministic. */
    public static EnergyPolicy balanced(PolicyWeights weights) {
        return builder(BALANCED).weights(weights).build();
    }

    /**
     * The policy called {@code name} with its default weights, deterministic.
     *
     * @throws IllegalArgumentException when {@code name} is not one of {@link #NAMES}
     */
    public static EnergyPolicy named(String name) {
        return builder(name).build();
    }

    /**
     * A builder for the policy called {@code name}, starting from its default weights.
     *
     * @throws IllegalArgumentException when {@code name} is not one of {@link #NAMES}
     */
    public static Builder builder(String name) {
        Objects.requireNonNull(name, "policy name");
        PolicyWeights defaults = switch (name) {
            case FASTEST -> PolicyWeights.FASTEST;
            case CHEAPEST -> PolicyWeights.CHEAPEST;
            case GREENEST -> PolicyWeights.GREENEST;
            case BALANCED -> PolicyWeights.BALANCED;
            default -> throw new IllegalArgumentException("policy must be one of " + NAMES + " but was '" + name + "'");
        };
        return new Builder(name, defaults);
    }

    /**
     * {@code policy} as a {@link PlacementPolicy}: each candidate is described by {@code context}, and
     * every placement carries its {@link EnergyDecision} as {@link io.lattice.core.Placement#explanation()}.
     */
    public static PlacementPolicy asPlacementPolicy(EnergyPolicy policy, CandidateContext context) {
        return new EnergyPlacementPolicy(policy, context);
    }

    /** Configures one policy. Not thread-safe; the policies it builds are. */
    public static final class Builder {
        private final String name;
        private PolicyWeights weights;
        private CostModel costModel = new CostModel();
        private double nearTieBand;
        private RandomGenerator random;

        private Builder(String name, PolicyWeights weights) {
            this.name = name;
            this.weights = weights;
        }

        /** Replaces the policy's default weights. */
        public Builder weights(PolicyWeights newWeights) {
            this.weights = Objects.requireNonNull(newWeights, "weights");
            return this;
        }

        /** Replaces the cost model. */
        public Builder costModel(CostModel newCostModel) {
            this.costModel = Objects.requireNonNull(newCostModel, "costModel");
            return this;
        }

        /**
         * Among eligible candidates scoring within {@code band} of the best, chooses by two random choices
         * (the shorter queue of two drawn from {@code random}) instead of always taking the best.
         *
         * @param band   score band, &gt; 0 and finite; the score the policy may give up to spread load
         * @param random seeded generator; the policy draws from it under a lock
         */
        public Builder nearTies(double band, RandomGenerator random) {
            Checks.positive("policy " + name, "nearTies band", band, "a band of 0 means no near-ties");
            this.nearTieBand = band;
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** The policy. */
        public EnergyPolicy build() {
            return new ScoringPolicy(name, weights, costModel, nearTieBand, random);
        }
    }
}
