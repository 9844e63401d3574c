package io.lattice.node;

import io.lattice.core.ModelEnergy;
import io.lattice.engine.TokenListener;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters each engine call and learns, per model, the energy per prompt and per output token and the
 * prefill and decode speeds that the node reports in telemetry ({@link #report()}).
 *
 * <p>A request is metered from the moment it holds its engine slot until its engine call returns
 * (queue time is not work); {@link EnergyAttribution} says how much energy it is charged and
 * {@link TokenEnergy} turns those charges into per-token figures. Only local models are metered: a
 * remote model's work burns power on another machine, so its calls get a span that records nothing.
 * A call that fails, or whose client goes away, is not learned from (its token counts are unknown).
 *
 * <p>Thread-safe.
 */
final class RequestMeter {

    private final EnergyAttribution attribution;
    private final boolean estimated;
    private final Set<String> metered;
    private final InstantSource clock;
    private final int window;
    private final Map<String, TokenEnergy> byModel = new ConcurrentHashMap<>();

    /**
     * @param meter     the node's power meter
     * @param metered   ids of the models whose calls are metered (the local ones)
     * @param window    requests each model's figures are learned from
     */
    RequestMeter(PowerMeter meter, Set<String> metered, InstantSource clock, int window) {
        this(meter, meter.idleWatts(), meter.estimated(), metered, clock, window);
    }

    /** With any energy counter; {@code estimated} says whether its figures come from a model. */
    RequestMeter(EnergyCounter energy, OptionalDouble knownIdleWatts, boolean estimated, Set<String> metered,
                 InstantSource clock, int window) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.attribution = new EnergyAttribution(energy, knownIdleWatts, clock);
        this.estimated = estimated;
        this.metered = Set.copyOf(metered);
        this.window = window;
        for (String id : this.metered) {
            byModel.put(id, new TokenEnergy(window));
        }
    }

    /** Starts metering one engine call of {@code modelId}; close the span when the call is over. */
    Span start(String modelId) {
        if (!metered.contains(modelId)) {
            return new Span(modelId, null, null);
        }
        return new Span(modelId, attribution.begin(), clock.instant());
    }

    /** The learned figures of every metered model with at least one request, by model id. */
    List<ModelEnergy> report() {
        List<ModelEnergy> out = new ArrayList<>();
        for (Map.Entry<String, TokenEnergy> e : new TreeMap<>(byModel).entrySet()) {
            e.getValue().fit().ifPresent(f -> out.add(new ModelEnergy(e.getKey(), f.joulesPerPromptToken(),
                    f.joulesPerOutputToken(), f.prefillTokensPerSecond(), f.decodeTokensPerSecond(), f.samples(),
                    estimated)));
        }
        return out;
    }

    /** The fit of one model, with how it was made; empty before its first metered request. */
    Optional<TokenEnergy.Fit> fit(String modelId) {
        TokenEnergy t = byModel.get(modelId);
        return t == null ? Optional.empty() : t.fit();
    }

    /** The idle draw requests are not charged, W; empty while a meter has not learned it. */
    OptionalDouble idleWatts() {
        return attribution.idleWatts();
    }

    /**
     * One engine call being metered. Call {@link #finish} with the token counts when the call
     * returned; {@link #close()} ends the span either way and is harmless after finish or twice.
     * The thread running the call uses it; {@link #listener} may be called from that thread only.
     */
    final class Span implements AutoCloseable {
        private final String modelId;
        private final EnergyAttribution.Share share;
        private final Instant start;
        private Instant firstText;
        private boolean done;

        private Span(String modelId, EnergyAttribution.Share share, Instant start) {
            this.modelId = modelId;
            this.share = share;
            this.start = start;
        }

        /** {@code inner}, noting when the first piece of text arrives (the end of prefill). */
        TokenListener listener(TokenListener inner) {
            if (share == null) {
                return inner;
            }
            return text -> {
                if (firstText == null) {
                    firstText = clock.instant();
                }
                inner.onText(text);
            };
        }

        /** The call returned with these counts: learn from it. */
        void finish(int promptTokens, int outputTokens) {
            if (share == null || done) {
                return;
            }
            done = true;
            double joules = attribution.end(share);
            Instant end = clock.instant();
            Instant first = firstText == null ? end : firstText;
            long prefill = Math.max(0, Duration.between(start, first).toNanos());
            long decode = Math.max(0, Duration.between(first, end).toNanos());
            byModel.computeIfAbsent(modelId, id -> new TokenEnergy(window))
                    .record(new TokenEnergy.Sample(promptTokens, outputTokens, joules, prefill, decode));
        }

        /** Ends the span; without {@link #finish} first, the call is not learned from. */
        @Override
        public void close() {
            if (share != null && !done) {
                done = true;
                attribution.end(share);
            }
        }
    }
}
