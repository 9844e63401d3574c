package io.lattice.core.signal;

import io.lattice.core.GeoPoint;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A PV array's parameters and the model that turns sun position and cloud cover into its output.
 *
 * <p>Design note. Output in kW for each step is
 * <pre>
 *   P = peakKw · performanceRatio · GHI / 1000 W/m²
 *   GHI = GHI_clear · (1 − 0.75 · (cloud/100)^3.4)
 * </pre>
 * where {@code GHI_clear} is the Haurwitz clear-sky irradiance averaged over the step from the
 * sun's position at the site (see {@code SolarGeometry}: NOAA solar position, Haurwitz 1945), and the
 * cloud factor is the Kasten–Czeplak (1980) relation, "Solar and terrestrial radiation dependent
 * on the amount and type of cloud", Solar Energy 24(2):177–189 (there with cloud in oktas N/8;
 * cloud cover in % is the same fraction). A fully overcast sky still yields a quarter of clear-sky
 * light. The performance ratio lumps inverter, temperature, wiring and soiling losses (0.75–0.85 is
 * typical for well-run systems, IEC 61724).
 *
 * <p>Limits, on purpose: panels are treated as horizontal (GHI, no tilt or orientation), so winter
 * output at high latitudes is underestimated by perhaps a third and summer noon slightly
 * overestimated; cloud type and aerosols are ignored. It is meant to give placement the right
 * shape of a day (zero at night, highest near solar noon, lower under cloud), not to bill a PV
 * plant.
 *
 * @param peakKw           rated DC power at standard test conditions (1000 W/m², 25 °C), kWp; > 0
 * @param performanceRatio system losses as a fraction of ideal output, in (0, 1]
 */
public record PvArray(double peakKw, double performanceRatio) {

    /** A typical performance ratio for a well-maintained small system. */
    public static final double TYPICAL_PERFORMANCE_RATIO = 0.8;

    public PvArray {
        if (!(peakKw > 0) || !Double.isFinite(peakKw)) {
            throw new IllegalArgumentException("peakKw must be a positive number of kWp but was " + peakKw);
        }
        if (!(performanceRatio > 0 && performanceRatio <= 1)) {
            throw new IllegalArgumentException("performanceRatio must be within (0, 1] but was " + performanceRatio);
        }
    }

    /** Output in kW at global horizontal irradiance {@code ghiWm2} (W/m²). */
    public double outputKw(double ghiWm2) {
        return peakKw * performanceRatio * ghiWm2 / 1000.0;
    }

    /** The Kasten–Czeplak factor by which cloud cover ({@code cloudPercent}, 0–100) scales clear-sky GHI. */
    public static double cloudFactor(double cloudPercent) {
        if (!(cloudPercent >= 0 && cloudPercent <= 100)) {
            throw new IllegalArgumentException("cloud cover must be within [0, 100] % but was " + cloudPercent);
        }
        return 1 - 0.75 * Math.pow(cloudPercent / 100.0, 3.4);
    }

    /**
     * Output from observed or forecast cloud cover, one value per step of {@code cloudCover}.
     *
     * @param cloudCover total cloud cover in % (unit {@code %}, values 0–100), for example
     *                   {@link Weather#series(WeatherVariable)} of {@link WeatherVariable#CLOUD_COVER}
     * @param site       where the array stands
     * @return mean output over each step in kW ({@link SignalKind#GENERATION})
     * @throws IllegalArgumentException when the unit is not % or a value is outside 0–100 (naming it)
     */
    public TimeSeries output(TimeSeries cloudCover, GeoPoint site) {
        Objects.requireNonNull(cloudCover, "cloudCover");
        Objects.requireNonNull(site, "site");
        if (!cloudCover.unit().equals("%")) {
            throw new IllegalArgumentException("cloud cover must be in % but the series is in " + cloudCover.unit());
        }
        double[] kw = new double[cloudCover.size()];
        for (int i = 0; i < kw.length; i++) {
            Instant t = cloudCover.timeAt(i);
            double factor;
            try {
                factor = cloudFactor(cloudCover.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cloud cover at " + t + " (index " + i + "): " + e.getMessage(), e);
            }
            kw[i] = outputKw(SolarGeometry.meanClearSkyGhi(t, cloudCover.step(), site) * factor);
        }
        return TimeSeries.of(cloudCover.start(), cloudCover.step(), kw, SignalKind.GENERATION.unit());
    }

    /**
     * Output under a uniform cloud cover, for generated profiles and what-if planning.
     *
     * @param start        the first hour
     * @param hours        number of hourly values, >= 0
     * @param cloudPercent constant cloud cover, 0–100 (0 gives clear-sky output)
     * @return mean output over each hour in kW
     */
    public TimeSeries output(Instant start, int hours, GeoPoint site, double cloudPercent) {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(site, "site");
        if (hours < 0) {
            throw new IllegalArgumentException("hours must be >= 0 but was " + hours);
        }
        double factor = cloudFactor(cloudPercent);
        Duration hour = Duration.ofHours(1);
        double[] kw = new double[hours];
        for (int i = 0; i < hours; i++) {
            kw[i] = outputKw(SolarGeometry.meanClearSkyGhi(start.plus(hour.multipliedBy(i)), hour, site) * factor);
        }
        return TimeSeries.hourly(start, kw, SignalKind.GENERATION.unit());
    }
}
