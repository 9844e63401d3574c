package io.lattice.core.signal;

import io.lattice.core.GeoPoint;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Hourly weather at one place, read from an Open-Meteo JSON response (forecast or historical
 * archive API), with every series on UTC hours.
 *
 * <p><b>Time.</b> When the request named a {@code timezone}, Open-Meteo writes {@code hourly.time}
 * as local wall-clock time without an offset and reports the offset it used in
 * {@code utc_offset_seconds}. That offset is one fixed number for the whole response: Open-Meteo
 * does not switch to summer time inside a series (see open-meteo/open-meteo issue #488), and the
 * shared 2023 files confirm it — {@code 2023-03-26T02:00}, a wall-clock hour that does not exist in
 * Berlin, is present, and the year has 8,760 distinct hours. So the instant of every entry is its
 * local time minus {@code utc_offset_seconds}; applying the zone's summer time rules instead would
 * shift half the year by an hour. With {@code timeformat=unixtime} the entries are epoch seconds in
 * UTC and are taken as they are.
 *
 * <p><b>Values.</b> Only the variables of {@link WeatherVariable} are read (under their legacy or
 * current names); other fields are ignored. Units come from {@code hourly_units} when present,
 * otherwise Open-Meteo's defaults. A {@code null} entry (Open-Meteo's "no data") is an error naming
 * the field, index and time: interpolating silently would invent weather.
 *
 * <p>Immutable and thread-safe.
 */
public final class Weather {

    private static final Duration HOUR = Duration.ofHours(1);

    private final String source;
    private final GeoPoint location;
    private final ZoneOffset utcOffset;
    private final String timezone;
    private final Map<WeatherVariable, TimeSeries> series;

    private Weather(String source, GeoPoint location, ZoneOffset utcOffset, String timezone,
                    Map<WeatherVariable, TimeSeries> series) {
        this.source = source;
        this.location = location;
        this.utcOffset = utcOffset;
        this.timezone = timezone;
        this.series = Collections.unmodifiableMap(series);
    }

    /**
     * Reads an Open-Meteo response from {@code in} (which the caller opens and closes).
     *
     * @see #parseOpenMeteo(CharSequence, String)
     */
    public static Weather parseOpenMeteo(Reader in, String sourceName) {
        Objects.requireNonNull(in, "in");
        StringBuilder text = new StringBuilder(1 << 20);
        char[] buf = new char[1 << 14];
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                text.append(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + sourceName, e);
        }
        return parseOpenMeteo(text, sourceName);
    }

    /**
     * Reads an Open-Meteo response: {@code latitude}, {@code longitude}, {@code utc_offset_seconds},
     * optional {@code timezone}, {@code hourly.time} and any of the {@link WeatherVariable}s.
     *
     * @param json       the whole response
     * @param sourceName a name for error messages, usually the file name
     * @throws SignalFormatException when the JSON is malformed (with line and column), a required
     *                               field is missing, arrays differ in length, an entry is null,
     *                               or the times are not consecutive hours
     */
    public static Weather parseOpenMeteo(CharSequence json, String sourceName) {
        Objects.requireNonNull(sourceName, "sourceName");
        Object root = Json.parse(json, sourceName);
        if (!(root instanceof Map<?, ?> top)) {
            throw new SignalFormatException(sourceName, 1, 1, "expected a JSON object at the top level");
        }
        GeoPoint location;
        try {
            location = new GeoPoint(number(top, "latitude", sourceName), number(top, "longitude", sourceName));
        } catch (IllegalArgumentException e) {
            if (e instanceof SignalFormatException sfe) {
                throw sfe;
            }
            throw new SignalFormatException(sourceName, 0, 0, e.getMessage());
        }
        double offsetSeconds = number(top, "utc_offset_seconds", sourceName);
        if (offsetSeconds != Math.rint(offsetSeconds) || Math.abs(offsetSeconds) > 18 * 3600) {
            throw new SignalFormatException(sourceName, 0, 0,
                    "utc_offset_seconds must be a whole number of seconds within ±18 h but was " + offsetSeconds);
        }
        ZoneOffset offset = ZoneOffset.ofTotalSeconds((int) offsetSeconds);
        String timezone = top.get("timezone") instanceof String s ? s : null;

        if (!(top.get("hourly") instanceof Map<?, ?> hourly)) {
            throw new SignalFormatException(sourceName, 0, 0, "no \"hourly\" object");
        }
        Map<?, ?> units = top.get("hourly_units") instanceof Map<?, ?> u ? u : Map.of();
        List<?> times = array(hourly, "time", sourceName);
        if (times.isEmpty()) {
            throw new SignalFormatException(sourceName, 0, 0, "hourly.time is empty");
        }
        Instant start = parseTimes(times, offset, sourceName);

        Map<WeatherVariable, TimeSeries> series = new EnumMap<>(WeatherVariable.class);
        for (WeatherVariable v : WeatherVariable.values()) {
            for (String field : v.fieldNames()) {
                if (!hourly.containsKey(field)) {
                    continue;
                }
                List<?> raw = array(hourly, field, sourceName);
                if (raw.size() != times.size()) {
                    throw new SignalFormatException(sourceName, 0, 0, "hourly." + field + " has " + raw.size()
                            + " entries but hourly.time has " + times.size());
                }
                double[] values = new double[raw.size()];
                for (int i = 0; i < values.length; i++) {
                    if (!(raw.get(i) instanceof Double d)) {
                        throw new SignalFormatException(sourceName, 0, 0, "hourly." + field + "[" + i + "] ("
                                + times.get(i) + ") is " + (raw.get(i) == null ? "null (no data)"
                                : "not a number: " + raw.get(i)));
                    }
                    values[i] = d;
                }
                String unit = units.get(field) instanceof String s && !s.isBlank() ? s : v.defaultUnit();
                series.put(v, TimeSeries.hourly(start, values, unit));
                break;
            }
        }
        return new Weather(sourceName, location, offset, timezone, series);
    }

    private static Instant parseTimes(List<?> times, ZoneOffset offset, String source) {
        Instant start = null;
        for (int i = 0; i < times.size(); i++) {
            Object t = times.get(i);
            Instant instant;
            try {
                instant = switch (t) {
                    case String s -> LocalDateTime.parse(s).toInstant(offset);
                    case Double d when d == Math.rint(d) -> Instant.ofEpochSecond(d.longValue());
                    case null, default -> throw new SignalFormatException(source, 0, 0,
                            "hourly.time[" + i + "] is not a local time like 2023-01-01T00:00 nor epoch seconds: " + t);
                };
            } catch (DateTimeParseException e) {
                throw new SignalFormatException(source, 0, 0,
                        "hourly.time[" + i + "] is not a local time like 2023-01-01T00:00: '" + t + "'");
            }
            if (start == null) {
                start = instant;
            } else if (!instant.equals(start.plus(HOUR.multipliedBy(i)))) {
                throw new SignalFormatException(source, 0, 0, "hourly.time[" + i + "] is " + t + " but "
                        + "expected one hour after hourly.time[" + (i - 1) + "] (" + times.get(i - 1)
                        + "); times must be consecutive hours");
            }
        }
        return start;
    }

    private static double number(Map<?, ?> obj, String field, String source) {
        if (!(obj.get(field) instanceof Double d)) {
            throw new SignalFormatException(source, 0, 0, "\"" + field + "\" must be a number but is "
                    + (obj.containsKey(field) ? obj.get(field) : "missing"));
        }
        return d;
    }

    private static List<?> array(Map<?, ?> obj, String field, String source) {
        if (!(obj.get(field) instanceof List<?> list)) {
            throw new SignalFormatException(source, 0, 0, "hourly." + field + " must be an array but is "
                    + (obj.containsKey(field) ? "a " + obj.get(field).getClass().getSimpleName() : "missing"));
        }
        return list;
    }

    /** Where the weather was taken (Open-Meteo's grid cell, which may differ a little from the request). */
    public GeoPoint location() {
        return location;
    }

    /** The fixed offset the file's local times were written in ({@code utc_offset_seconds}). */
    public ZoneOffset utcOffset() {
        return utcOffset;
    }

    /** The time zone named in the file, for example {@code Europe/Berlin}, if any. */
    public Optional<String> timezone() {
        return Optional.ofNullable(timezone);
    }

    /** The variables present in the file. */
    public Set<WeatherVariable> variables() {
        return series.keySet();
    }

    public boolean has(WeatherVariable variable) {
        return series.containsKey(variable);
    }

    /**
     * The hourly series of {@code variable}, on UTC hours, in the file's unit for it.
     *
     * @throws IllegalStateException when the file did not contain it
     */
    public TimeSeries series(WeatherVariable variable) {
        TimeSeries s = series.get(Objects.requireNonNull(variable, "variable"));
        if (s == null) {
            throw new IllegalStateException(source + " has no hourly " + variable.fieldNames().getFirst()
                    + " (it has " + series.keySet() + "); add it to the Open-Meteo request's hourly list");
        }
        return s;
    }

    @Override
    public String toString() {
        return "Weather[" + source + ", " + location + ", " + series.keySet() + "]";
    }
}
