package io.lattice.gateway.signal;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.core.signal.FallbackRule;
import io.lattice.core.signal.Provenance;
import io.lattice.core.signal.TimeSeries;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The UK Carbon Intensity API of NESO (no key), half-hourly, direct CO2 emissions in gCO2/kWh.
 *
 * <p>National: {@code GET /intensity} answers {@code {"data":[{"from","to","intensity":{"forecast","actual",
 * "index"}}]}} for the current half hour; {@code actual} is {@code null} until the half hour is metered, and
 * then NESO's own forecast for it is the current figure. {@code GET /intensity/{from}/fw24h} answers the same
 * shape for the next 24 h. Regional ({@code regionId} 1–17): {@code GET /regional/regionid/{id}} and
 * {@code GET /regional/intensity/{from}/fw24h/regionid/{id}} answer {@code {"data":[{"regionid","shortname",
 * "data":[{"from","to","intensity":{"forecast","index"}}]}]}} (forecast only; some versions of the API put
 * the region object directly under {@code data}, which is accepted too).
 */
final class UkCarbonIntensityFetcher implements Fetcher {

    private static final DateTimeFormatter FROM = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Duration HALF_HOUR = Duration.ofMinutes(30);

    private final HttpJson http;
    /** Scheme, host, port and any path prefix, without a trailing slash. */
    private final String base;
    private final Integer regionId;

    /** @param regionId a NESO region id, or {@code null} for Great Britain as a whole */
    UkCarbonIntensityFetcher(HttpJson http, String base, Integer regionId) {
        this.http = http;
        this.base = base;
        this.regionId = regionId;
    }

    @Override
    public String name() {
        return "uk-carbon-intensity " + (regionId == null ? "national" : "region " + regionId);
    }

    @Override
    public FallbackRule.Observation latest() throws FetchException {
        String path = regionId == null ? "/intensity" : "/regional/regionid/" + regionId;
        JsonNode periods = periods(http.get(URI.create(base + path), Map.of()), name() + " latest");
        String where = name() + " latest";
        JsonNode first = periods.get(0);
        JsonNode intensity = Payloads.field(first, "intensity", where);
        JsonNode actual = intensity.get("actual");
        double value = actual != null && !actual.isNull()
                ? Payloads.intensity(intensity, "actual", where)
                : Payloads.intensity(intensity, "forecast", where);
        return new FallbackRule.Observation(value, Payloads.instant(first, "from", where), Provenance.LIVE);
    }

    @Override
    public TimeSeries forecast(Instant now) throws FetchException {
        String from = FROM.format(now.truncatedTo(ChronoUnit.MINUTES));
        String path = regionId == null
                ? "/intensity/" + from + "/fw24h"
                : "/regional/intensity/" + from + "/fw24h/regionid/" + regionId;
        String where = name() + " forecast";
        JsonNode periods = periods(http.get(URI.create(base + path), Map.of()), where);
        List<Instant> times = new ArrayList<>(periods.size());
        double[] values = new double[periods.size()];
        for (int i = 0; i < periods.size(); i++) {
            String at = where + " period " + i;
            JsonNode p = periods.get(i);
            values[i] = Payloads.intensity(Payloads.field(p, "intensity", at), "forecast", at);
            times.add(Payloads.instant(p, "from", at));
        }
        return Payloads.series(times, values, HALF_HOUR, where);
    }

    /** The array of half-hour periods, national or regional, non-empty. */
    private JsonNode periods(JsonNode body, String where) throws FetchException {
        JsonNode data = Payloads.field(body, "data", where);
        if (regionId != null) {
            JsonNode region = data.isArray() ? data.path(0) : data;
            data = Payloads.field(region, "data", where + " region");
        }
        if (!data.isArray() || data.isEmpty()) {
            throw new FetchException(where + ": 'data' must be a non-empty array of periods");
        }
        return data;
    }

    @Override
    public String toString() {
        return name();
    }
}
