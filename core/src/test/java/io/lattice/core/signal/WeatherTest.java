package io.lattice.core.signal;

import io.lattice.core.GeoPoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class WeatherTest {

    private static String openMeteo(int offsetSeconds, String times, String temps, String extra) {
        return """
                {"latitude": 50.08787, "longitude": 8.653846, "generationtime_ms": 1.5,
                 "utc_offset_seconds": %d, "timezone": "Europe/Berlin", "elevation": 111.0,
                 "hourly_units": {"time": "iso8601", "temperature_2m": "\\u00b0C", "cloudcover": "%%"},
                 "hourly": {"time": [%s], "temperature_2m": [%s]%s}}
                """.formatted(offsetSeconds, times, temps, extra);
    }

    @Test
    void parse_turnsLocalTimesIntoUtcWithTheFixedOffset() {
        Weather w = Weather.parseOpenMeteo(openMeteo(3600, "\"2023-01-01T00:00\", \"2023-01-01T01:00\"", "12.9, 11.2",
                ", \"cloudcover\": [99, 1], \"windspeed_10m\": [17.7, 13.7], \"other\": [\"x\", null]"), "de.json");

        TimeSeries t = w.series(WeatherVariable.TEMPERATURE);
        assertThat(t.start()).isEqualTo(Instant.parse("2022-12-31T23:00:00Z"));
        assertThat(t.values()).containsExactly(12.9, 11.2);
        assertThat(t.unit()).isEqualTo("°C");
        assertThat(w.series(WeatherVariable.CLOUD_COVER).values()).containsExactly(99, 1);
        assertThat(w.series(WeatherVariable.WIND_SPEED).unit()).isEqualTo("km/h");
        assertThat(w.utcOffset()).isEqualTo(ZoneOffset.ofHours(1));
        assertThat(w.timezone()).hasValue("Europe/Berlin");
        assertThat(w.location()).isEqualTo(new GeoPoint(50.08787, 8.653846));
        assertThat(w.variables()).containsExactlyInAnyOrder(WeatherVariable.TEMPERATURE, WeatherVariable.CLOUD_COVER,
                WeatherVariable.WIND_SPEED);
        assertThatThrownBy(() -> w.series(WeatherVariable.RELATIVE_HUMIDITY))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("de.json has no hourly relative_humidity_2m");
    }

    @Test
    void parse_acceptsCurrentFieldNamesAndUnixTime() {
        String json = """
                {"latitude": 0, "longitude": 0, "utc_offset_seconds": 0,
                 "hourly": {"time": [1672531200, 1672534800], "cloud_cover": [0, 100]}}""";
        Weather w = Weather.parseOpenMeteo(new StringReader(json), "unix.json");
        assertThat(w.series(WeatherVariable.CLOUD_COVER).start()).isEqualTo(Instant.parse("2023-01-01T00:00:00Z"));
        assertThat(w.series(WeatherVariable.CLOUD_COVER).unit()).isEqualTo("%");
        assertThat(w.timezone()).isEmpty();
    }

    @Test
    void parse_nullEntryIsAnErrorNamingFieldIndexAndTime() {
        assertThatThrownBy(() -> Weather.parseOpenMeteo(openMeteo(0, "\"2023-01-01T00:00\", \"2023-01-01T01:00\"",
                "1.0, null", ""), "w.json"))
                .isInstanceOf(SignalFormatException.class)
                .hasMessage("w.json: hourly.temperature_2m[1] (2023-01-01T01:00) is null (no data)");
    }

    @Test
    void parse_rejectsInconsistentFiles() {
        assertThatThrownBy(() -> Weather.parseOpenMeteo(openMeteo(0, "\"2023-01-01T00:00\"", "1, 2", ""), "w"))
                .hasMessageContaining("hourly.temperature_2m has 2 entries but hourly.time has 1");
        assertThatThrownBy(() -> Weather.parseOpenMeteo(openMeteo(0, "\"2023-01-01T00:00\", \"2023-01-01T02:00\"",
                "1, 2", ""), "w"))
                .hasMessageContaining("hourly.time[1] is 2023-01-01T02:00 but expected one hour after");
        assertThatThrownBy(() -> Weather.parseOpenMeteo(openMeteo(0, "\"Jan 1\"", "1", ""), "w"))
                .hasMessageContaining("hourly.time[0] is not a local time");
        assertThatThrownBy(() -> Weather.parseOpenMeteo("{\"latitude\": 1, \"longitude\": 2, \"hourly\": {}}", "w"))
                .hasMessageContaining("\"utc_offset_seconds\" must be a number but is missing");
        assertThatThrownBy(() -> Weather.parseOpenMeteo("{\"latitude\": 91, \"longitude\": 2}", "w"))
                .isInstanceOf(SignalFormatException.class).hasMessageContaining("latitudeDeg must be between -90 and 90 but was 91.0");
        assertThatThrownBy(() -> Weather.parseOpenMeteo("[1]", "w")).hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> Weather.parseOpenMeteo("{\"latitude\": 1,\n \"longitude\": x}", "w"))
                .hasMessageStartingWith("w line 2, column 15:");
    }

    // ---- the real 2023 files ----

    @Test
    void realWeather_isAYearOfUtcHoursShiftedByTheFilesOffset() {
        Weather de = SharedData.weather("DE-LU");
        Weather gb = SharedData.weather("GB");
        for (WeatherVariable v : WeatherVariable.values()) {
            assertThat(de.series(v).size()).as("DE-LU " + v).isEqualTo(8_760);
            assertThat(gb.series(v).size()).as("GB " + v).isEqualTo(8_760);
        }
        // Berlin's file is written in local time at a fixed UTC+1, London's at UTC+0
        assertThat(de.utcOffset()).isEqualTo(ZoneOffset.ofHours(1));
        assertThat(de.series(WeatherVariable.TEMPERATURE).start()).isEqualTo(Instant.parse("2022-12-31T23:00:00Z"));
        assertThat(gb.series(WeatherVariable.TEMPERATURE).start()).isEqualTo(Instant.parse("2023-01-01T00:00:00Z"));
        assertThat(de.series(WeatherVariable.TEMPERATURE).get(0)).isEqualTo(12.9);
        assertThat(de.series(WeatherVariable.TEMPERATURE).unit()).isEqualTo("°C");
        assertThat(de.series(WeatherVariable.CLOUD_COVER).min().orElseThrow()).isGreaterThanOrEqualTo(0);
        assertThat(de.series(WeatherVariable.CLOUD_COVER).max().orElseThrow()).isLessThanOrEqualTo(100);
        assertThat(de.series(WeatherVariable.TEMPERATURE).mean().orElseThrow()).isBetween(8.0, 14.0);
    }
}
