package io.lattice.core.signal;

import io.lattice.core.GeoPoint;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A generated, deterministic daily shape for a grid price or carbon intensity, so a demo or a
 * simulation can run without data files.
 *
 * <p>Design note. The value of the hour starting at {@code t} is
 * <pre>
 *   v = max(floor, base · w · d + morningPeak · b(h; 8, 2) + eveningPeak · b(h; 19, 2.5)
 *                  − solarDip · GHI_clear(t) / 1000 W/m²)
 * </pre>
 * where {@code h} is the local mean solar time at the middle of the hour (UTC plus longitude/15:
 * daily habits follow the sun to within an hour or two of any time zone, and this needs no zone),
 * {@code b(h; c, s)} is a Gaussian bump of height 1 centred at hour {@code c} with width {@code s}
 * hours (wrapping around midnight), {@code GHI_clear} is the clear-sky irradiance at the site, so
 * midday cheapness and cleanness from solar deepen in summer and vanish in winter, {@code w} is
 * {@code 1 − weekendDiscount} on Saturdays and Sundays (solar time) and 1 otherwise, and {@code d}
 * is a per-day factor {@code 1 + dailyVariation · u}, with {@code u} in [−1, 1) a hash of
 * {@code seed} and the day — so weather-like day-to-day changes are reproducible and a value depends
 * only on its hour, never on where a generated window starts. This is the "duck curve" of grids
 * with much solar (CAISO, Germany, Spain): morning and evening peaks around a midday trough.
 *
 * @param kind            {@link SignalKind#PRICE} (USD/MWh) or {@link SignalKind#CARBON_INTENSITY}
 *                        (gCO2e/kWh); the unit of every other number here
 * @param base            the level at night on a weekday
 * @param morningPeak     height of the morning peak above base, >= 0
 * @param eveningPeak     height of the evening peak above base, >= 0
 * @param solarDip        how far a clear sky with the sun overhead pulls the value down, >= 0
 * @param floor           the lowest value produced (negative allowed for prices, >= 0 for carbon)
 * @param weekendDiscount fraction of base dropped on weekends, in [0, 1)
 * @param dailyVariation  relative day-to-day variation of base, in [0, 1)
 * @param seed            seeds the day-to-day variation
 */
public record DiurnalShape(SignalKind kind, double base, double morningPeak, double eveningPeak, double solarDip,
                           double floor, double weekendDiscount, double dailyVariation, long seed) {

    private static final Duration HOUR = Duration.ofHours(1);

    public DiurnalShape {
        Objects.requireNonNull(kind, "kind");
        if (kind != SignalKind.PRICE && kind != SignalKind.CARBON_INTENSITY) {
            throw new IllegalArgumentException("a diurnal shape is for PRICE or CARBON_INTENSITY, not " + kind
                    + "; use PvArray for generation and GreenhouseHeat for heat demand");
        }
        requireFinite("base", base);
        requireNonNegative("morningPeak", morningPeak);
        requireNonNegative("eveningPeak", eveningPeak);
        requireNonNegative("solarDip", solarDip);
        requireFinite("floor", floor);
        if (kind == SignalKind.CARBON_INTENSITY && floor < 0) {
            throw new IllegalArgumentException("floor must be >= 0 gCO2e/kWh for carbon intensity but was " + floor);
        }
        if (!(weekendDiscount >= 0 && weekendDiscount < 1)) {
            throw new IllegalArgumentException("weekendDiscount must be within [0, 1) but was " + weekendDiscount);
        }
        if (!(dailyVariation >= 0 && dailyVariation < 1)) {
            throw new IllegalArgumentException("dailyVariation must be within [0, 1) but was " + dailyVariation);
        }
    }

    private static void requireFinite(String name, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number but was " + v);
        }
    }

    private static void requireNonNegative(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0 but was " + v);
        }
    }

    /**
     * Day-ahead prices like a central European market with much solar (Germany 2023 averaged
     * about 100 USD/MWh): 85 USD/MWh base, +30 morning, +50 evening, −90 at a clear overhead sun,
     * floor −20, 15 % cheaper weekends, ±20 % day to day.
     */
    public static DiurnalShape centralEuropePrice(long seed) {
        return new DiurnalShape(SignalKind.PRICE, 85, 30, 50, 90, -20, 0.15, 0.2, seed);
    }

    /**
     * Carbon intensity like a central European grid with coal, gas, wind and solar (Germany 2023
     * averaged about 370 gCO2e/kWh life-cycle): 400 base, +30 morning, +50 evening, −200 at a clear
     * overhead sun, floor 120, 8 % lower on weekends, ±15 % day to day (wind).
     */
    public static DiurnalShape centralEuropeCarbon(long seed) {
        return new DiurnalShape(SignalKind.CARBON_INTENSITY, 400, 30, 50, 200, 120, 0.08, 0.15, seed);
    }

    /** The value for the hour starting at {@code hourStart} at {@code site}, in {@code kind().unit()}. */
    public double valueAt(Instant hourStart, GeoPoint site) {
        Objects.requireNonNull(hourStart, "hourStart");
        Objects.requireNonNull(site, "site");
        Instant mid = hourStart.plus(HOUR.dividedBy(2));
        // local mean solar time, as a wall clock at this longitude
        LocalDateTime solar = LocalDateTime.ofInstant(mid, ZoneOffset.UTC)
                .plusSeconds(Math.round(site.longitudeDeg() / 15.0 * 3600));
        double h = solar.getHour() + solar.getMinute() / 60.0 + solar.getSecond() / 3600.0;
        DayOfWeek dow = solar.getDayOfWeek();
        double week = dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY ? 1 - weekendDiscount : 1;
        double day = 1 + dailyVariation * unitNoise(seed, solar.toLocalDate().toEpochDay());
        double v = base * week * day
                + morningPeak * bump(h, 8, 2)
                + eveningPeak * bump(h, 19, 2.5)
                - solarDip * SolarGeometry.meanClearSkyGhi(hourStart, HOUR, site) / 1000.0;
        return Math.max(floor, v);
    }

    /**
     * {@code hours} hourly values from {@code start} at {@code site}.
     *
     * @return a series in {@code kind().unit()}
     */
    public TimeSeries generate(Instant start, int hours, GeoPoint site) {
        Objects.requireNonNull(start, "start");
        if (hours < 0) {
            throw new IllegalArgumentException("hours must be >= 0 but was " + hours);
        }
        double[] v = new double[hours];
        for (int i = 0; i < hours; i++) {
            v[i] = valueAt(start.plus(HOUR.multipliedBy(i)), site);
        }
        return TimeSeries.hourly(start, v, kind.unit());
    }

    /** A Gaussian bump of height 1 at hour {@code centre}, distance measured around the 24 h clock. */
    private static double bump(double hour, double centre, double width) {
        double d = Math.abs(hour - centre) % 24;
        d = Math.min(d, 24 - d);
        return Math.exp(-0.5 * (d / width) * (d / width));
    }

    /** A reproducible number in [-1, 1) from {@code seed} and {@code day} (SplitMix64 finaliser). */
    private static double unitNoise(long seed, long day) {
        long z = seed + day * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53 * 2 - 1;
    }
}
