package io.lattice.gateway.signal;

import io.lattice.core.signal.CarbonBasis;
import io.lattice.core.signal.FallbackRule;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Builds {@link LiveSignalSource}s for the grid carbon intensity APIs.
 *
 * <pre>{@code
 * LiveSignalSource de = LiveSignals.electricityMaps("DE", System.getenv("ELECTRICITYMAPS_TOKEN")).build();
 * LiveSignalSource gb = LiveSignals.ukCarbonIntensity().build();
 * de.refresh();                       // optional: have a value before the first placement
 * de.read(SignalKind.CARBON_INTENSITY, Instant.now());
 * }</pre>
 *
 * <p>Defaults: refresh every 10 min (both providers publish at most every 30–60 min), retry a failed poll
 * after 1 min, {@link FallbackRule#HOURLY}, connect timeout 5 s, request timeout 10 s, the system UTC clock,
 * and background polls on virtual threads the source owns and stops on close.
 */
public final class LiveSignals {

    /** Where Electricity Maps serves its API. */
    public static final URI ELECTRICITY_MAPS = URI.create("https://api.electricitymap.org");
    /** Where NESO serves the UK Carbon Intensity API. */
    public static final URI UK_CARBON_INTENSITY = URI.create("https://api.carbonintensity.org.uk");

    private LiveSignals() {
    }

    /**
     * A source for an Electricity Maps zone (life-cycle basis unless {@link Builder#basis} says otherwise).
     *
     * @param zone   an Electricity Maps zone key, for example {@code DE} or {@code US-CAL-CISO}
     * @param apiKey the API token, sent as the {@code auth-token} header and nowhere else
     * @throws IllegalArgumentException when either is blank (the message never holds the key)
     */
    public static Builder electricityMaps(String zone, String apiKey) {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(apiKey, "apiKey");
        if (zone.isBlank()) {
            throw new IllegalArgumentException("zone must not be blank");
        }
        if (apiKey.isBlank()) {
            throw new IllegalArgumentException("the Electricity Maps API key for zone " + zone + " is blank");
        }
        return new Builder(Provider.ELECTRICITY_MAPS, zone, apiKey, ELECTRICITY_MAPS, CarbonBasis.LIFECYCLE);
    }

    /** A source for Great Britain from the UK Carbon Intensity API (no key; direct emissions). */
    public static Builder ukCarbonIntensity() {
        return new Builder(Provider.UK_CARBON_INTENSITY, null, null, UK_CARBON_INTENSITY, CarbonBasis.DIRECT);
    }

    private enum Provider { ELECTRICITY_MAPS, UK_CARBON_INTENSITY }

    /** Configures one source. Not thread-safe; {@link #build()} may be called more than once. */
    public static final class Builder {
        private final Provider provider;
        private final String zone;
        private final String apiKey;
        private URI baseUrl;
        private CarbonBasis basis;
        private Integer regionId;
        private Clock clock = Clock.systemUTC();
        private Duration refreshEvery = Duration.ofMinutes(10);
        private Duration retryAfter = Duration.ofMinutes(1);
        private FallbackRule fallback = FallbackRule.HOURLY;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Executor executor;

        private Builder(Provider provider, String zone, String apiKey, URI baseUrl, CarbonBasis basis) {
            this.provider = provider;
            this.zone = zone;
            this.apiKey = apiKey;
            this.baseUrl = baseUrl;
            this.basis = basis;
        }

        /** Scheme, host, port and optional path prefix of the API, for a proxy or a test server. */
        public Builder baseUrl(URI baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            String scheme = baseUrl.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme) || baseUrl.getHost() == null) {
                throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL but was " + baseUrl);
            }
            if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
                throw new IllegalArgumentException("baseUrl must have no query or fragment but was " + baseUrl);
            }
            this.baseUrl = baseUrl;
            return this;
        }

        /**
         * Which emission figure to ask Electricity Maps for; default {@link CarbonBasis#LIFECYCLE}.
         *
         * @throws IllegalArgumentException for the UK API with anything but {@link CarbonBasis#DIRECT}: it
         *                                  publishes direct emissions only
         */
        public Builder basis(CarbonBasis basis) {
            Objects.requireNonNull(basis, "basis");
            if (provider == Provider.UK_CARBON_INTENSITY && basis != CarbonBasis.DIRECT) {
                throw new IllegalArgumentException("the UK Carbon Intensity API reports direct emissions only; "
                        + "basis must be DIRECT but was " + basis);
            }
            this.basis = basis;
            return this;
        }

        /**
         * A NESO region (1–17, for example 13 for London) instead of Great Britain as a whole; UK API only.
         * Regional figures are NESO's forecasts: there is no metered "actual" per region.
         */
        public Builder region(int regionId) {
            if (provider != Provider.UK_CARBON_INTENSITY) {
                throw new IllegalArgumentException("region applies to the UK Carbon Intensity API only; "
                        + "Electricity Maps is chosen by zone");
            }
            if (regionId < 1 || regionId > 17) {
                throw new IllegalArgumentException("regionId must be within [1, 17] but was " + regionId);
            }
            this.regionId = regionId;
            return this;
        }

        /** The clock that decides when to poll and stamps health; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long a successful poll's data is kept before the next poll; default 10 min, >= 1 s. */
        public Builder refreshEvery(Duration every) {
            this.refreshEvery = atLeast("refreshEvery", every, Duration.ofSeconds(1));
            return this;
        }

        /** The minimum gap between a failed poll and the next attempt; default 1 min, >= 1 s. */
        public Builder retryAfter(Duration gap) {
            this.retryAfter = atLeast("retryAfter", gap, Duration.ofSeconds(1));
            return this;
        }

        /** When held values go stale; default {@link FallbackRule#HOURLY}, as for recorded sources. */
        public Builder fallback(FallbackRule fallback) {
            this.fallback = Objects.requireNonNull(fallback, "fallback");
            return this;
        }

        /** The TCP connect timeout; default 5 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = atLeast("connectTimeout", timeout, Duration.ofMillis(1));
            return this;
        }

        /** The timeout of each request, from sending to the whole body; default 10 s. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = atLeast("requestTimeout", timeout, Duration.ofMillis(1));
            return this;
        }

        /**
         * Where reads start background polls; default virtual threads owned by the source. A given executor
         * is not shut down by {@link LiveSignalSource#close()}. {@code Runnable::run} makes a due read poll
         * synchronously (tests).
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** A new source with its own HTTP client; it polls nothing until read or {@link LiveSignalSource#refresh()}. */
        public LiveSignalSource build() {
            HttpClient client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            HttpJson http = new HttpJson(client, requestTimeout, apiKey);
            String base = baseUrl.toString().replaceAll("/+$", "");
            Fetcher fetcher = switch (provider) {
                case ELECTRICITY_MAPS -> new ElectricityMapsFetcher(http, base, zone, apiKey, basis);
                case UK_CARBON_INTENSITY -> new UkCarbonIntensityFetcher(http, base, regionId);
            };
            ExecutorService owned = executor == null ? Executors.newVirtualThreadPerTaskExecutor() : null;
            AutoCloseable resources = () -> {
                if (owned != null) {
                    owned.shutdownNow();
                }
                // shutdownNow, not close: close waits for in-flight requests, up to the request timeout
                client.shutdownNow();
            };
            return new PollingSignalSource(fetcher, basis, clock, fallback, refreshEvery, retryAfter,
                    owned != null ? owned : executor, resources);
        }

        private static Duration atLeast(String name, Duration d, Duration min) {
            Objects.requireNonNull(d, name);
            if (d.compareTo(min) < 0) {
                throw new IllegalArgumentException(name + " must be at least " + min + " but was " + d);
            }
            return d;
        }
    }
}
