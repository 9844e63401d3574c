package io.lattice.gateway;

import io.lattice.core.signal.SignalKind;
import io.lattice.core.signal.SignalReading;
import io.lattice.core.signal.SignalSource;
import io.lattice.core.signal.TimeSeries;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A site's signals with a live source laid over its generated or recorded ones: each kind the live
 * source provides is read from it first; when it has nothing at all for an instant (never polled
 * yet, or past its own fallback limits) the layer below answers, and the reading's provenance says
 * which it was. Kinds the live source lacks (price, heat demand, on-site generation) come from below.
 *
 * <p>Thread-safe when both layers are.
 */
final class LayeredSignals implements SignalSource {

    private final SignalSource top;
    private final SignalSource below;
    private final Set<SignalKind> kinds;

    LayeredSignals(SignalSource top, SignalSource below) {
        this.top = Objects.requireNonNull(top, "top");
        this.below = Objects.requireNonNull(below, "below");
        EnumSet<SignalKind> all = EnumSet.noneOf(SignalKind.class);
        all.addAll(top.kinds());
        all.addAll(below.kinds());
        this.kinds = Set.copyOf(all);
    }

    @Override
    public Set<SignalKind> kinds() {
        return kinds;
    }

    @Override
    public Optional<SignalReading> read(SignalKind kind, Instant at) {
        Optional<SignalReading> live = top.kinds().contains(kind) ? top.read(kind, at) : Optional.empty();
        return live.isPresent() ? live : below.read(kind, at);
    }

    @Override
    public Optional<TimeSeries> forecast(SignalKind kind, Instant from, int hours) {
        Optional<TimeSeries> live = top.kinds().contains(kind) ? top.forecast(kind, from, hours) : Optional.empty();
        return live.isPresent() ? live : below.forecast(kind, from, hours);
    }
}
