package io.lattice.gateway.signal;

import io.lattice.core.signal.Provenance;
import java.time.Instant;
import java.util.Objects;

/**
 * The state of a {@link LiveSignalSource}, as telemetry and the dashboard show it. Instants are on the
 * source's clock; nullable fields are {@code null} when the event has not happened yet.
 *
 * @param source              the source's {@link LiveSignalSource#name()}
 * @param lastAttempt         when the last poll started, or {@code null} before the first
 * @param lastSuccess         when the last fully successful poll started, or {@code null} if none was
 * @param lastError           what went wrong in the last failed poll (status, endpoint, a short part of the
 *                            body; never a key), or {@code null} when the last poll succeeded or none failed
 * @param consecutiveFailures failed polls since the last success, >= 0
 * @param latestValue         the held current value in gCO2e/kWh, or {@code null} when none was ever read
 * @param latestAsOf          the instant that value describes (the provider's datetime), or {@code null}
 * @param forecastUntil       the end of the held forecast, or {@code null} when none is held
 * @param provenanceNow       what a read for the clock's "now" would be based on, or {@code null} when the
 *                            source has nothing usable (the signal is then unknown, never 0)
 */
public record SourceHealth(String source, Instant lastAttempt, Instant lastSuccess, String lastError,
                           int consecutiveFailures, Double latestValue, Instant latestAsOf, Instant forecastUntil,
                           Provenance provenanceNow) {
    public SourceHealth {
        Objects.requireNonNull(source, "source");
        if (consecutiveFailures < 0) {
            throw new IllegalArgumentException("consecutiveFailures must be >= 0 but was " + consecutiveFailures);
        }
    }

    /** True when the last poll succeeded and reads are answered with a current value. */
    public boolean healthy() {
        return consecutiveFailures == 0 && lastSuccess != null && provenanceNow == Provenance.LIVE;
    }
}
