package io.lattice.core.signal;

import java.util.List;

/**
 * Hourly weather variables Lattice reads from Open-Meteo, with their Open-Meteo field names (the
 * legacy and the current spelling) and the unit Open-Meteo uses unless asked otherwise.
 */
public enum WeatherVariable {
    /** Air temperature 2 m above ground, °C. Drives greenhouse heat demand. */
    TEMPERATURE("°C", "temperature_2m"),
    /** Total cloud cover, % of the sky (0–100). Drives PV output. */
    CLOUD_COVER("%", "cloudcover", "cloud_cover"),
    /** Wind speed 10 m above ground, km/h by default (m/s, mph or kn when the request asked). */
    WIND_SPEED("km/h", "windspeed_10m", "wind_speed_10m"),
    /** Relative humidity 2 m above ground, %. */
    RELATIVE_HUMIDITY("%", "relative_humidity_2m", "relativehumidity_2m");

    private final String defaultUnit;
    private final List<String> fieldNames;

    WeatherVariable(String defaultUnit, String... fieldNames) {
        this.defaultUnit = defaultUnit;
        this.fieldNames = List.of(fieldNames);
    }

    /** The unit Open-Meteo uses when the request did not choose one, for example {@code °C}. */
    public String defaultUnit() {
        return defaultUnit;
    }

    /** The names of this variable in Open-Meteo's {@code hourly} object, legacy spelling first. */
    public List<String> fieldNames() {
        return fieldNames;
    }
}
