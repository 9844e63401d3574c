package io.lattice.gateway.signal;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.core.signal.CarbonBasis;
import io.lattice.core.signal.FallbackRule;
import io.lattice.core.signal.Provenance;
import io.lattice.core.signal.TimeSeries;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Electricity Maps API v3: {@code GET /v3/carbon-intensity/latest?zone=Z} answers
 * {@code {"zone","carbonIntensity","datetime","updatedAt","emissionFactorType","isEstimated",...}} and
 * {@code GET /v3/carbon-intensity/forecast?zone=Z} answers
 * {@code {"zone","forecast":[{"carbonIntensity","datetime"},...],"updatedAt"}}, intensities in gCO2eq/kWh,
 * authenticated by the {@code auth-token} header. The basis is asked for with {@code emissionFactorType}
 * ({@code lifecycle}, the API's default, or {@code direct}).
 */
final class ElectricityMapsFetcher implements Fetcher {

    private static final System.Logger LOG = System.getLogger(ElectricityMapsFetcher.class.getName());

    private final HttpJson http;
    /** Scheme, host, port and any path prefix, without a trailing slash. */
    private final String base;
    private final String zone;
    private final CarbonBasis basis;
    private final Map<String, String> headers;

    ElectricityMapsFetcher(HttpJson http, String base, String zone, String apiKey, CarbonBasis basis) {
        this.http = http;
        this.base = base;
        this.zone = zone;
        this.basis = basis;
        this.headers = Map.of("auth-token", apiKey);
    }

    @Override
    public String name() {
        return "electricity-maps " + zone;
    }

    private URI uri(String endpoint) {
        String factor = basis == CarbonBasis.DIRECT ? "direct" : "lifecycle";
        return URI.create(base + "/v3/carbon-intensity/" + endpoint + "?zone=" + URLEncoder.encode(zone, StandardCharsets.UTF_8)
                + "&emissionFactorType=" + factor);
    }

    @Override
    public FallbackRule.Observation latest() throws FetchException {
        JsonNode body = http.get(uri("latest"), headers);
        try {
            String where = name() + " latest";
            double value = Payloads.intensity(body, "carbonIntensity", where);
            Instant asOf = Payloads.instant(body, "datetime", where);
            if (body.path("isEstimated").asBoolean(false)) {
                // the API fills recent hours from a model when measurements lag; still its current figure
                LOG.log(System.Logger.Level.DEBUG, "{0}: {1} gCO2e/kWh for {2} is estimated", name(), value, asOf);
            }
            return new FallbackRule.Observation(value, asOf, Provenance.LIVE);
        } catch (FetchException e) {
            throw new FetchException(http.mask(e.getMessage()));
        }
    }

    @Override
    public TimeSeries forecast(Instant now) throws FetchException {
        JsonNode body = http.get(uri("forecast"), headers);
        try {
            String where = name() + " forecast";
            JsonNode points = Payloads.field(body, "forecast", where);
            if (!points.isArray()) {
                throw new FetchException(where + ": 'forecast' must be an array");
            }
            List<Instant> times = new ArrayList<>(points.size());
            double[] values = new double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                String at = where + " point " + i;
                values[i] = Payloads.intensity(points.get(i), "carbonIntensity", at);
                times.add(Payloads.instant(points.get(i), "datetime", at));
            }
            return Payloads.series(times, values, Duration.ofHours(1), where);
        } catch (FetchException e) {
            throw new FetchException(http.mask(e.getMessage()));
        }
    }

    @Override
    public String toString() {
        return name(); // never the key
    }
}
