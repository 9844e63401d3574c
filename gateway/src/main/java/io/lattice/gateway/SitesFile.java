package io.lattice.gateway;

import java.util.function.Function;
import java.time.Clock;
import java.net.URI;
import io.lattice.gateway.signal.LiveSignals;
import io.lattice.gateway.signal.LiveSignalSource;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lattice.core.GeoPoint;
import io.lattice.core.energy.HeatSink;
import io.lattice.core.energy.Jurisdiction;
import io.lattice.core.energy.Site;
import io.lattice.core.signal.DiurnalShape;
import io.lattice.core.signal.GreenhouseHeat;
import io.lattice.core.signal.GridCsv;
import io.lattice.core.signal.PvArray;
import io.lattice.core.signal.SignalKind;
import io.lattice.core.signal.SignalSource;
import io.lattice.core.signal.StaticSignals;
import io.lattice.core.signal.TimeSeries;
import io.lattice.core.signal.Weather;
import io.lattice.core.signal.WeatherVariable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Reads the gateway's sites file (YAML): each site's fixed context and where its signals come from,
 * either generated profiles (no files needed) or recorded files (the shared 2023 grid CSVs and
 * Open-Meteo weather JSON). The format is in {@code docs/gateway.md}.
 *
 * <p>Time. Every series is placed on the <em>hour of the year</em> of the gateway's start year and
 * repeats yearly ({@link StaticSignals.Builder#repeating}): a 2023 file's 1 March 12:00 UTC is used on
 * 1 March 12:00 UTC of any year. In a leap year, dates after 28 February are one day off; weekdays
 * drift by a day or two a year, which matters little for hourly grid data. Generated profiles are
 * computed for the start year itself, so they have no such offset.
 *
 * <p>Errors. A file that breaks a rule is refused whole with an {@link IllegalArgumentException} whose
 * message names the file, the field (as a path such as {@code sites[2].pue}), the value and the rule.
 * Unknown fields are errors too, so a typo never silently becomes a default.
 *
 * <p>Stateless; safe to call from any thread.
 */
public final class SitesFile {

    private static final Set<String> SITE_FIELDS = Set.of("id", "name", "country", "region", "grid-zone", "lat",
            "lon", "pue", "wue", "power-limit-kw", "heat-value-usd-per-kwh", "heat-recovery", "signals");
    private static final Set<String> GENERATED_FIELDS = Set.of("carbon", "price", "pv-peak-kw", "cloud-percent",
            "heat-demand-kw-th", "seed");
    private static final Set<String> FILE_FIELDS = Set.of("carbon", "price", "weather", "pv-peak-kw",
            "performance-ratio", "greenhouse");
    private static final Set<String> SHAPE_FIELDS = Set.of("preset", "base", "morning-peak", "evening-peak",
            "solar-dip", "floor", "weekend-discount", "daily-variation");
    private static final double DEFAULT_CLOUD_PERCENT = 30;
    private static final String LIVE_CARBON = "live-carbon";
    /** Solar hours counted as "day" for a day/night heat demand profile: 07:00 to 19:00 local solar time. */
    private static final int DAY_START_HOUR = 7;
    private static final int DAY_END_HOUR = 19;

    private SitesFile() {
    }

    /**
     * Reads {@code file}; relative signal file paths are taken from the file's folder.
     *
     * @param anchor an instant in the year the series are placed on (the gateway's start time)
     * @throws IllegalArgumentException naming file, field, value and rule when the file is wrong
     */
    public static List<GatewaySite> load(Path file, Instant anchor) {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the sites file: " + e.getMessage(), e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), dir, anchor);
    }

    /**
     * Reads sites from YAML text.
     *
     * @param source  a name for messages, usually the file name
     * @param baseDir where relative signal file paths point from
     * @param anchor  an instant in the year the series are placed on
     * @throws IllegalArgumentException naming source, field, value and rule when the text is wrong
     */
    public static List<GatewaySite> parse(String text, String source, Path baseDir, Instant anchor) {
        return parse(text, source, baseDir, anchor, Set.of());
    }

    /**
     * Reads sites from YAML text that may carry other fields per site (and at the top level), which are
     * ignored here; for files that describe more than sites, such as the demo mesh.
     *
     * @param otherSiteFields site fields another reader handles, for example {@code node}
     */
    public static List<GatewaySite> parse(String text, String source, Path baseDir, Instant anchor,
                                          Set<String> otherSiteFields) {
        return parse(text, source, baseDir, anchor, otherSiteFields, Clock.systemUTC(), System::getenv);
    }

    /**
     * As {@link #parse(String, String, Path, Instant, Set)}, with the clock live sources poll by and
     * the environment their API keys are read from (tests give both).
     */
    static List<GatewaySite> parse(String text, String source, Path baseDir, Instant anchor,
                                   Set<String> otherSiteFields, Clock clock, Function<String, String> env) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(anchor, "anchor");
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: "
                    + e.getOriginalMessage().lines().findFirst().orElse("unreadable")
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        }
        if (root == null || !root.isObject() || !root.path("sites").isArray() || root.path("sites").isEmpty()) {
            throw new IllegalArgumentException(source + ": 'sites' must be a list of at least one site");
        }
        Set<String> siteFields = new HashSet<>(SITE_FIELDS);
        siteFields.addAll(otherSiteFields);
        Parse reader = new Parse(source, baseDir, anchor, Set.copyOf(siteFields), clock, env);
        List<GatewaySite> sites = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        JsonNode list = root.get("sites");
        for (int i = 0; i < list.size(); i++) {
            GatewaySite site = reader.site(list.get(i), "sites[" + i + "]");
            if (!ids.add(site.id())) {
                throw reader.fail("sites[" + i + "].id", site.id(), "site ids must be unique");
            }
            sites.add(site);
        }
        return List.copyOf(sites);
    }

    /** One parse: the source for messages and the time anchor. */
    private static final class Parse {
        private final String source;
        private final Path baseDir;
        private final Instant yearStart;
        private final int hours;

        private final Set<String> siteFields;
        private final Clock clock;
        private final Function<String, String> env;

        Parse(String source, Path baseDir, Instant anchor, Set<String> siteFields, Clock clock,
              Function<String, String> env) {
            this.clock = clock;
            this.env = env;
            this.source = source;
            this.siteFields = siteFields;
            this.baseDir = baseDir;
            int year = LocalDateTime.ofInstant(anchor, ZoneOffset.UTC).getYear();
            this.yearStart = Year.of(year).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            this.hours = Year.of(year).length() * 24;
        }

        GatewaySite site(JsonNode node, String at) {
            requireObject(node, at, siteFields);
            String id = text(node, at, "id", true);
            String name = text(node, at, "name", false);
            String country = text(node, at, "country", true);
            String region = text(node, at, "region", false);
            Jurisdiction jurisdiction;
            try {
                jurisdiction = Jurisdiction.parse(region != null ? region : country);
            } catch (IllegalArgumentException e) {
                throw fail(at + (region != null ? ".region" : ".country"), region != null ? region : country,
                        "must be an ISO 3166 code such as FR (country) or FR-BRE (region)");
            }
            if (!jurisdiction.country().equals(country.strip().toUpperCase(Locale.ROOT))) {
                throw fail(at + ".region", region, "must lie in country " + country + " (start with " + country
                        + "-)");
            }
            String zone = text(node, at, "grid-zone", false);
            double lat = number(node, at, "lat", null);
            double lon = number(node, at, "lon", null);
            GeoPoint location;
            try {
                location = new GeoPoint(lat, lon);
            } catch (IllegalArgumentException e) {
                throw fail(at + ".lat/lon", lat + ", " + lon, "latitude -90 to 90 and longitude -180 to 180");
            }
            double pue = number(node, at, "pue", null);
            double wue = number(node, at, "wue", 0.0);
            double limit = numberOrNone(node, at, "power-limit-kw", Double.POSITIVE_INFINITY);
            double heatValue = numberOrNone(node, at, "heat-value-usd-per-kwh", Double.NaN);
            double recovery = number(node, at, "heat-recovery", HeatSink.DEFAULT_RECOVERY_FRACTION);
            Site site;
            try {
                HeatSink sink = Double.isNaN(heatValue) ? HeatSink.NONE : new HeatSink(heatValue, recovery);
                site = new Site(id, zone != null ? zone : jurisdiction.country(), pue, wue, limit, jurisdiction,
                        location, sink);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": " + at + " (" + id + "): " + e.getMessage(), e);
            }
            SignalSource signals = signals(node.get("signals"), at + ".signals", location);
            return new GatewaySite(site, name != null ? name : id, signals);
        }

        private SignalSource signals(JsonNode node, String at, GeoPoint location) {
            if (node == null || node.isNull()) {
                throw fail(at, null, "is required: 'generated: {...}' or files (carbon: FILE, price: FILE, ...)");
            }
            if (node.isObject() && node.has(LIVE_CARBON)) {
                ObjectNode rest = ((ObjectNode) node).deepCopy();
                JsonNode live = rest.remove(LIVE_CARBON);
                return new LayeredSignals(liveCarbon(live, at + "." + LIVE_CARBON), signals(rest, at, location));
            }
            if (node.has("generated")) {
                if (node.size() != 1) {
                    throw fail(at, fieldNames(node), "holds either 'generated' or files, not both");
                }
                return generated(node.get("generated"), at + ".generated", location);
            }
            return files(node, at, location);
        }

        private SignalSource generated(JsonNode node, String at, GeoPoint location) {
            requireObject(node, at, GENERATED_FIELDS);
            long seed = (long) number(node, at, "seed", 1.0);
            StaticSignals.Builder b = StaticSignals.builder().repeating(true);
            b.generated(SignalKind.CARBON_INTENSITY,
                    shape(node.get("carbon"), at + ".carbon", SignalKind.CARBON_INTENSITY, seed)
                            .generate(yearStart, hours, location));
            b.generated(SignalKind.PRICE,
                    shape(node.get("price"), at + ".price", SignalKind.PRICE, seed + 1)
                            .generate(yearStart, hours, location));
            if (node.has("pv-peak-kw")) {
                double peak = number(node, at, "pv-peak-kw", null);
                double cloud = number(node, at, "cloud-percent", DEFAULT_CLOUD_PERCENT);
                try {
                    b.generated(SignalKind.GENERATION, new PvArray(peak, PvArray.TYPICAL_PERFORMANCE_RATIO)
                            .output(yearStart, hours, location, cloud));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(source + ": " + at + ": " + e.getMessage(), e);
                }
            }
            if (node.has("heat-demand-kw-th")) {
                b.generated(SignalKind.HEAT_DEMAND, heatDemand(node.get("heat-demand-kw-th"),
                        at + ".heat-demand-kw-th", location));
            }
            return b.build();
        }

        /** A constant, or {@code {day: kW_th, night: kW_th}} by local solar time. */
        private TimeSeries heatDemand(JsonNode node, String at, GeoPoint location) {
            double day;
            double night;
            if (node.isNumber()) {
                day = node.doubleValue();
                night = day;
            } else if (node.isObject()) {
                requireObject(node, at, Set.of("day", "night"));
                day = number(node, at, "day", null);
                night = number(node, at, "night", null);
            } else {
                throw fail(at, node.toString(), "must be a number of kW_th or {day: kW_th, night: kW_th}");
            }
            if (day < 0 || night < 0) {
                throw fail(at, node.toString(), "heat demand must be >= 0 kW_th");
            }
            double[] v = new double[hours];
            long offsetSeconds = Math.round(location.longitudeDeg() / 15.0 * 3600);
            for (int i = 0; i < hours; i++) {
                int solarHour = LocalDateTime.ofInstant(yearStart.plusSeconds(i * 3600L + 1800 + offsetSeconds),
                        ZoneOffset.UTC).getHour();
                v[i] = solarHour >= DAY_START_HOUR && solarHour < DAY_END_HOUR ? day : night;
            }
            return TimeSeries.hourly(yearStart, v, SignalKind.HEAT_DEMAND.unit());
        }

        private DiurnalShape shape(JsonNode node, String at, SignalKind kind, long seed) {
            if (node == null || node.isNull()) {
                throw fail(at, null, "is required: {preset: central-europe} or {base: N, ...} in " + kind.unit());
            }
            requireObject(node, at, SHAPE_FIELDS);
            DiurnalShape preset;
            String presetName = text(node, at, "preset", false);
            if (presetName == null) {
                preset = new DiurnalShape(kind, number(node, at, "base", null), 0, 0, 0,
                        kind == SignalKind.PRICE ? -500 : 0, 0, 0, seed);
            } else if (presetName.equals("central-europe")) {
                preset = kind == SignalKind.PRICE ? DiurnalShape.centralEuropePrice(seed)
                        : DiurnalShape.centralEuropeCarbon(seed);
            } else {
                throw fail(at + ".preset", presetName, "the only preset is central-europe");
            }
            try {
                return new DiurnalShape(kind, number(node, at, "base", preset.base()),
                        number(node, at, "morning-peak", preset.morningPeak()),
                        number(node, at, "evening-peak", preset.eveningPeak()),
                        number(node, at, "solar-dip", preset.solarDip()),
                        number(node, at, "floor", preset.floor()),
                        number(node, at, "weekend-discount", preset.weekendDiscount()),
                        number(node, at, "daily-variation", preset.dailyVariation()), seed);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": " + at + ": " + e.getMessage(), e);
            }
        }

        private SignalSource files(JsonNode node, String at, GeoPoint location) {
            requireObject(node, at, FILE_FIELDS);
            StaticSignals.Builder b = StaticSignals.builder().repeating(true);
            String carbon = text(node, at, "carbon", true);
            b.recorded(SignalKind.CARBON_INTENSITY,
                    hourOfYear(readFile(carbon, at + ".carbon", (r, name) -> GridCsv.parseCarbon(r, name))));
            String price = text(node, at, "price", true);
            b.recorded(SignalKind.PRICE, hourOfYear(readFile(price, at + ".price", GridCsv::parsePrice)));
            String weatherFile = text(node, at, "weather", false);
            boolean wantsPv = node.has("pv-peak-kw");
            boolean wantsHeat = node.has("greenhouse");
            if ((wantsPv || wantsHeat) && weatherFile == null) {
                throw fail(at + ".weather", null, "is required when pv-peak-kw or greenhouse is given (they are"
                        + " computed from its cloud cover and temperature)");
            }
            if (weatherFile != null) {
                Weather weather = readFile(weatherFile, at + ".weather", Weather::parseOpenMeteo);
                String wAt = at + ".weather";
                try {
                    if (wantsPv) {
                        PvArray pv = new PvArray(number(node, at, "pv-peak-kw", null),
                                number(node, at, "performance-ratio", PvArray.TYPICAL_PERFORMANCE_RATIO));
                        requireVariable(weather, WeatherVariable.CLOUD_COVER, wAt, weatherFile);
                        b.recorded(SignalKind.GENERATION,
                                hourOfYear(pv.output(weather.series(WeatherVariable.CLOUD_COVER), location)));
                    }
                    if (wantsHeat) {
                        GreenhouseHeat gh = greenhouse(node.get("greenhouse"), at + ".greenhouse");
                        requireVariable(weather, WeatherVariable.TEMPERATURE, wAt, weatherFile);
                        b.recorded(SignalKind.HEAT_DEMAND,
                                hourOfYear(gh.demand(weather.series(WeatherVariable.TEMPERATURE), location)));
                    }
                } catch (IllegalArgumentException e) {
                    if (e.getMessage() != null && e.getMessage().startsWith(source)) {
                        throw e;
                    }
                    throw new IllegalArgumentException(source + ": " + at + ": " + e.getMessage(), e);
                }
            }
            try {
                return b.build();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": " + at + ": " + e.getMessage(), e);
            }
        }

        private void requireVariable(Weather weather, WeatherVariable variable, String at, String file) {
            if (!weather.has(variable)) {
                throw fail(at, file, "the weather file has no " + variable + " series");
            }
        }

        private GreenhouseHeat greenhouse(JsonNode node, String at) {
            Set<String> fields = Set.of("floor-area-m2", "day-setpoint-c", "night-setpoint-c", "ua-kw-per-k",
                    "max-kw-th");
            requireObject(node, at, fields);
            try {
                if (node.has("floor-area-m2")) {
                    if (node.size() != 1) {
                        throw fail(at, fieldNames(node), "give either floor-area-m2 alone or the four parameters");
                    }
                    return GreenhouseHeat.glasshouse(number(node, at, "floor-area-m2", null));
                }
                return new GreenhouseHeat(number(node, at, "day-setpoint-c", null),
                        number(node, at, "night-setpoint-c", null), number(node, at, "ua-kw-per-k", null),
                        number(node, at, "max-kw-th", null));
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(source)) {
                    throw e;
                }
                throw new IllegalArgumentException(source + ": " + at + ": " + e.getMessage(), e);
            }
        }

        /** Moves a series to the same hour of the year in the anchor year (see the class note). */
        private TimeSeries hourOfYear(TimeSeries s) {
            int year = LocalDateTime.ofInstant(s.start(), ZoneOffset.UTC).getYear();
            Instant ownYearStart = Year.of(year).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            return s.withStart(yearStart.plus(java.time.Duration.between(ownYearStart, s.start())));
        }

        @FunctionalInterface
        private interface FileParser<T> {
            T parse(java.io.Reader in, String name);
        }

        private <T> T readFile(String path, String at, FileParser<T> parser) {
            Path file = baseDir.resolve(path);
            if (!Files.isRegularFile(file)) {
                throw fail(at, path, "no such file (relative paths start at the sites file's folder, " + baseDir
                        + ")");
            }
            try (java.io.Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                return parser.parse(in, file.toString());
            } catch (IOException e) {
                throw fail(at, path, "cannot be read: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                // SignalFormatException names the file, line and column already
                throw new IllegalArgumentException(source + ": " + at + ": " + e.getMessage(), e);
            }
        }

        private void requireObject(JsonNode node, String at, Set<String> allowed) {
            if (node == null || !node.isObject()) {
                throw fail(at, node == null ? null : node.toString(), "must be a mapping of fields");
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!allowed.contains(f)) {
                    throw fail(at + "." + f, node.get(f).toString(), "is not a known field; known: "
                            + allowed.stream().sorted().toList());
                }
            }
        }

        private String text(JsonNode node, String at, String field, boolean required) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                if (required) {
                    throw fail(at + "." + field, null, "is required");
                }
                return null;
            }
            if (!v.isValueNode() || v.asText().isBlank()) {
                throw fail(at + "." + field, v.toString(), "must be a non-empty text");
            }
            return v.asText().strip();
        }

        /** A number; {@code fallback} when absent (null fallback: required). */
        private double number(JsonNode node, String at, String field, Double fallback) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                if (fallback == null) {
                    throw fail(at + "." + field, null, "is required");
                }
                return fallback;
            }
            if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
                throw fail(at + "." + field, v.toString(), "must be a number");
            }
            return v.doubleValue();
        }

        /**
         * A live carbon source over the site's other signals: {@code provider: electricity-maps} (with
         * {@code zone} and {@code api-key-env}, the environment variable holding the key — keys never
         * sit in the file) or {@code provider: uk-carbon-intensity} (optional {@code region} 1-17);
         * optional {@code base-url}.
         */
        private LiveSignalSource liveCarbon(JsonNode node, String at) {
            requireObject(node, at, Set.of("provider", "zone", "api-key-env", "region", "base-url"));
            String provider = text(node, at, "provider", true);
            LiveSignals.Builder builder = switch (provider) {
                case "electricity-maps" -> {
                    String zone = text(node, at, "zone", true);
                    String keyVariable = text(node, at, "api-key-env", true);
                    String key = env.apply(keyVariable);
                    if (key == null || key.isBlank()) {
                        throw fail(at + ".api-key-env", keyVariable, "names an environment variable that is not set;"
                                + " export it with your Electricity Maps API key");
                    }
                    yield LiveSignals.electricityMaps(zone, key);
                }
                case "uk-carbon-intensity" -> {
                    LiveSignals.Builder uk = LiveSignals.ukCarbonIntensity();
                    if (node.has("region")) {
                        uk.region((int) number(node, at, "region", null));
                    }
                    yield uk;
                }
                default -> throw fail(at + ".provider", provider, "must be electricity-maps or uk-carbon-intensity");
            };
            String baseUrl = text(node, at, "base-url", false);
            try {
                if (baseUrl != null) {
                    builder.baseUrl(URI.create(baseUrl));
                }
                return builder.clock(clock).build();
            } catch (IllegalArgumentException e) {
                throw fail(at, null, e.getMessage());
            }
        }

        /** A number, or the word {@code none} (then {@code none}); absent also gives {@code none}. */
        private double numberOrNone(JsonNode node, String at, String field, double none) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull() || (v.isTextual() && v.asText().strip().equalsIgnoreCase("none"))) {
                return none;
            }
            return number(node, at, field, null);
        }

        IllegalArgumentException fail(String field, String value, String rule) {
            return new IllegalArgumentException(source + ": " + field + (value == null ? "" : " = " + value) + ": "
                    + rule);
        }

        private static String fieldNames(JsonNode node) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            return names.toString();
        }
    }
}
