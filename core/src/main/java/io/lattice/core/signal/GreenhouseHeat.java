package io.lattice.core.signal;

import io.lattice.core.GeoPoint;

import java.util.Objects;

/**
 * A greenhouse as a heat sink: its parameters and the model that turns outside temperature into
 * the heat it wants.
 *
 * <p>Design note. This is the steady-state transmission heat loss used for sizing greenhouse
 * heating (ASABE EP406 "Heating, Ventilating and Cooling Greenhouses"; Nelson, "Greenhouse
 * Operation and Management"), evaluated hour by hour — a degree-hour model:
 * <pre>
 *   demand [kW_th] = min(maxKwTh, max(0, setpoint − T_out) · UA)
 * </pre>
 * with the day setpoint while the sun is above the horizon (at the middle of the hour, from the
 * site's position) and the night setpoint otherwise, as growers run them. {@code UA} is the
 * cover's heat transfer coefficient times its area (kW per kelvin of inside-outside difference);
 * {@code maxKwTh} caps it at what the heat exchanger can take.
 *
 * <p>Limits, on purpose: solar gain, ventilation and infiltration losses, and thermal mass are
 * left out, so demand on sunny days is overstated and the response to a cold front is immediate.
 * It gives placement the right signal — much more heat wanted on cold nights and in winter, none
 * on warm afternoons — with three numbers an operator knows.
 *
 * @param daySetpointC   inside temperature kept while the sun is up, °C
 * @param nightSetpointC inside temperature kept at night, °C
 * @param uaKwPerK       overall heat loss coefficient U·A, kW/K; > 0
 * @param maxKwTh        most heat the site can take, kW_th; > 0
 */
public record GreenhouseHeat(double daySetpointC, double nightSetpointC, double uaKwPerK, double maxKwTh) {

    /** U of single glazing, W/(m²·K) (ASABE EP406). */
    private static final double SINGLE_GLASS_U = 6.2;
    /** Cover (walls and roof) area per floor area of a typical Venlo glasshouse. */
    private static final double COVER_TO_FLOOR = 1.3;
    /** The outside temperature the default maximum is sized for, °C. */
    private static final double DESIGN_OUTSIDE_C = -12;

    public GreenhouseHeat {
        if (!Double.isFinite(daySetpointC) || daySetpointC < -20 || daySetpointC > 45) {
            throw new IllegalArgumentException("daySetpointC must be within [-20, 45] °C but was " + daySetpointC);
        }
        if (!Double.isFinite(nightSetpointC) || nightSetpointC < -20 || nightSetpointC > 45) {
            throw new IllegalArgumentException("nightSetpointC must be within [-20, 45] °C but was " + nightSetpointC);
        }
        if (!(uaKwPerK > 0) || !Double.isFinite(uaKwPerK)) {
            throw new IllegalArgumentException("uaKwPerK must be a positive number of kW/K but was " + uaKwPerK);
        }
        if (!(maxKwTh > 0) || !Double.isFinite(maxKwTh)) {
            throw new IllegalArgumentException("maxKwTh must be a positive number of kW_th but was " + maxKwTh);
        }
    }

    /**
     * A single-glazed glasshouse growing tomatoes: day 20 °C, night 17 °C, U = 6.2 W/(m²·K) over a
     * cover 1.3 times the floor area, heating sized for −12 °C outside. 1,000 m² gives UA ≈ 8.1 kW/K
     * and a maximum of ≈ 258 kW_th.
     *
     * @param floorAreaM2 floor area in m², > 0
     */
    public static GreenhouseHeat glasshouse(double floorAreaM2) {
        if (!(floorAreaM2 > 0) || !Double.isFinite(floorAreaM2)) {
            throw new IllegalArgumentException("floorAreaM2 must be a positive number of m² but was " + floorAreaM2);
        }
        double ua = SINGLE_GLASS_U * COVER_TO_FLOOR * floorAreaM2 / 1000.0;
        double day = 20;
        return new GreenhouseHeat(day, 17, ua, ua * (day - DESIGN_OUTSIDE_C));
    }

    /** Heat wanted in kW_th at outside temperature {@code outsideC} (°C), by day or by night. */
    public double demandKwTh(double outsideC, boolean daytime) {
        double setpoint = daytime ? daySetpointC : nightSetpointC;
        return Math.min(maxKwTh, Math.max(0, (setpoint - outsideC) * uaKwPerK));
    }

    /**
     * Heat wanted over each step of {@code outsideTemperature}.
     *
     * @param outsideTemperature outside air temperature in °C, for example
     *                           {@link Weather#series(WeatherVariable)} of {@link WeatherVariable#TEMPERATURE}
     * @param site               where the greenhouse stands, to tell day from night
     * @return mean heat demand over each step in kW_th ({@link SignalKind#HEAT_DEMAND})
     * @throws IllegalArgumentException when the series is not in °C
     */
    public TimeSeries demand(TimeSeries outsideTemperature, GeoPoint site) {
        Objects.requireNonNull(outsideTemperature, "outsideTemperature");
        Objects.requireNonNull(site, "site");
        if (!outsideTemperature.unit().equals("°C")) {
            throw new IllegalArgumentException("outside temperature must be in °C but the series is in "
                    + outsideTemperature.unit());
        }
        double[] kw = new double[outsideTemperature.size()];
        for (int i = 0; i < kw.length; i++) {
            boolean day = SolarGeometry.isDay(outsideTemperature.timeAt(i), outsideTemperature.step(), site);
            kw[i] = demandKwTh(outsideTemperature.get(i), day);
        }
        return TimeSeries.of(outsideTemperature.start(), outsideTemperature.step(), kw, SignalKind.HEAT_DEMAND.unit());
    }
}
