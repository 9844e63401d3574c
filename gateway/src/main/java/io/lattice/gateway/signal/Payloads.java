package io.lattice.gateway.signal;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.core.signal.SignalKind;
import io.lattice.core.signal.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Strict readers for the fields of provider payloads: a missing or odd field is an error naming it. */
final class Payloads {

    private Payloads() {
    }

    static JsonNode field(JsonNode node, String name, String where) throws FetchException {
        JsonNode v = node == null ? null : node.get(name);
        if (v == null || v.isNull() || v.isMissingNode()) {
            throw new FetchException(where + ": no '" + name + "' field");
        }
        return v;
    }

    /** A finite, non-negative intensity in gCO2e/kWh. */
    static double intensity(JsonNode node, String name, String where) throws FetchException {
        JsonNode v = field(node, name, where);
        if (!v.isNumber()) {
            throw new FetchException(where + ": '" + name + "' must be a number but was " + abbreviate(v.toString()));
        }
        double d = v.asDouble();
        if (!Double.isFinite(d) || d < 0) {
            throw new FetchException(where + ": '" + name + "' must be a finite number >= 0 but was " + d);
        }
        return d;
    }

    /** An ISO-8601 instant with an offset: {@code 2024-05-01T10:00:00.000Z} or {@code 2024-05-01T10:00Z}. */
    static Instant instant(JsonNode node, String name, String where) throws FetchException {
        JsonNode v = field(node, name, where);
        try {
            return OffsetDateTime.parse(v.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new FetchException(where + ": '" + name + "' is not an ISO-8601 instant: "
                    + abbreviate(v.toString()));
        }
    }

    /**
     * A regular series from timestamped points in order. The step is the gap between the first two points
     * ({@code singleStep} when there is one); every gap must equal it, because a shifted hour would quietly
     * move placement decisions.
     */
    static TimeSeries series(List<Instant> times, double[] values, Duration singleStep, String where)
            throws FetchException {
        if (times.isEmpty()) {
            throw new FetchException(where + ": the forecast is empty");
        }
        Duration step = times.size() == 1 ? singleStep : Duration.between(times.get(0), times.get(1));
        if (step.isNegative() || step.isZero()) {
            throw new FetchException(where + ": forecast times must increase but go " + times.get(0) + ", "
                    + times.get(1));
        }
        for (int i = 1; i < times.size(); i++) {
            Instant expected = times.get(0).plus(step.multipliedBy(i));
            if (!times.get(i).equals(expected)) {
                throw new FetchException(where + ": forecast point " + i + " is at " + times.get(i) + " but "
                        + expected + " was expected (steps of " + step + ", no gaps)");
            }
        }
        return TimeSeries.of(times.get(0), step, values, SignalKind.CARBON_INTENSITY.unit());
    }

    static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
