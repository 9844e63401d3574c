package io.lattice.core.signal;

import io.lattice.core.GeoPoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Checks the short NOAA/Spencer solar position against the longer NOAA solar calculator algorithm
 * (Meeus, "Astronomical Algorithms"), written out plainly below as the slow reference.
 */
class SolarGeometryTest {

    private static final GeoPoint[] PLACES = {
        new GeoPoint(50.08787, 8.653846),   // Frankfurt (the DE-LU weather cell)
        new GeoPoint(51.493847, -0.1630249), // London
        new GeoPoint(1.35, 103.82),          // Singapore
        new GeoPoint(-33.87, 151.21),        // Sydney
        new GeoPoint(69.65, 18.96),          // Tromsø: polar night and midnight sun
        new GeoPoint(36.78, -119.42),        // California
    };

    @Test
    void elevation_agreesWithTheMeeusAlgorithmWithinHalfADegreeAllYear() {
        Instant t0 = Instant.parse("2023-01-01T00:00:00Z");
        for (GeoPoint p : PLACES) {
            double worst = 0;
            for (int h = 0; h < 8_760; h++) {
                Instant t = t0.plus(Duration.ofMinutes(60L * h + 17));
                worst = Math.max(worst, Math.abs(SolarGeometry.elevationDegrees(t, p) - referenceElevation(t, p)));
            }
            assertThat(worst).as(p.toString()).isLessThan(0.5);
        }
    }

    @Test
    void elevation_atKnownMoments() {
        // June solstice, solar noon at Greenwich: 90 − 51.48 + 23.44 ≈ 61.96°
        assertThat(SolarGeometry.elevationDegrees(Instant.parse("2023-06-21T12:02:00Z"), new GeoPoint(51.4779, 0)))
                .isCloseTo(61.96, within(0.1));
        // March equinox (21:24 UTC that day) at the equator, solar noon on the prime meridian: the
        // sun is within a degree of overhead
        assertThat(SolarGeometry.elevationDegrees(Instant.parse("2023-03-20T12:07:00Z"), new GeoPoint(0, 0)))
                .isCloseTo(90, within(1.0));
        assertThat(SolarGeometry.elevationDegrees(Instant.parse("2023-06-21T00:00:00Z"), new GeoPoint(51.4779, 0)))
                .isNegative();
    }

    @Test
    void clearSkyGhi_isHaurwitzAndZeroWithTheSunDown() {
        Instant noon = Instant.parse("2023-06-21T12:02:00Z");
        GeoPoint greenwich = new GeoPoint(51.4779, 0);
        double cz = SolarGeometry.cosZenith(noon, greenwich);
        assertThat(SolarGeometry.clearSkyGhi(noon, greenwich)).isCloseTo(1098 * cz * Math.exp(-0.059 / cz), within(1e-9));
        // about 900 W/m² at a 62° sun
        assertThat(SolarGeometry.clearSkyGhi(noon, greenwich)).isBetween(850.0, 950.0);
        assertThat(SolarGeometry.clearSkyGhi(Instant.parse("2023-06-21T23:00:00Z"), greenwich)).isZero();
    }

    @Test
    void meanClearSkyGhi_givesASunriseHourPartOfItsLight() {
        GeoPoint london = new GeoPoint(51.49, -0.16);
        // sunrise in London on 2023-06-21 is at 03:43 UTC
        double sunriseHour = SolarGeometry.meanClearSkyGhi(Instant.parse("2023-06-21T03:00:00Z"), Duration.ofHours(1), london);
        double nextHour = SolarGeometry.meanClearSkyGhi(Instant.parse("2023-06-21T04:00:00Z"), Duration.ofHours(1), london);
        assertThat(sunriseHour).isPositive().isLessThan(nextHour);
    }

    /** Solar elevation (no refraction) from NOAA's solar calculator spreadsheet, after Meeus. */
    static double referenceElevation(Instant t, GeoPoint p) {
        double jd = t.getEpochSecond() / 86_400.0 + t.getNano() / 8.64e13 + 2_440_587.5;
        double c = (jd - 2_451_545.0) / 36_525.0;
        double l0 = mod360(280.46646 + c * (36_000.76983 + c * 0.0003032));
        double m = 357.52911 + c * (35_999.05029 - 0.0001537 * c);
        double e = 0.016708634 - c * (0.000042037 + 0.0000001267 * c);
        double center = sin(m) * (1.914602 - c * (0.004817 + 0.000014 * c))
                + sin(2 * m) * (0.019993 - 0.000101 * c) + sin(3 * m) * 0.000289;
        double trueLong = l0 + center;
        double omega = 125.04 - 1934.136 * c;
        double appLong = trueLong - 0.00569 - 0.00478 * sin(omega);
        double meanObliq = 23 + (26 + (21.448 - c * (46.815 + c * (0.00059 - c * 0.001813))) / 60) / 60;
        double obliq = meanObliq + 0.00256 * cos(omega);
        double decl = Math.toDegrees(Math.asin(sin(obliq) * sin(appLong)));
        double y = Math.tan(Math.toRadians(obliq / 2)) * Math.tan(Math.toRadians(obliq / 2));
        double eqTime = 4 * Math.toDegrees(y * sin(2 * l0) - 2 * e * sin(m) + 4 * e * y * sin(m) * cos(2 * l0)
                - 0.5 * y * y * sin(4 * l0) - 1.25 * e * e * sin(2 * m));
        double minutes = (t.getEpochSecond() % 86_400) / 60.0;
        double tst = ((minutes + eqTime + 4 * p.longitudeDeg()) % 1440 + 1440) % 1440;
        double ha = tst / 4 < 0 ? tst / 4 + 180 : tst / 4 - 180;
        double cosZ = sin(p.latitudeDeg()) * sin(decl) + cos(p.latitudeDeg()) * cos(decl) * cos(ha);
        return 90 - Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cosZ))));
    }

    private static double sin(double deg) {
        return Math.sin(Math.toRadians(deg));
    }

    private static double cos(double deg) {
        return Math.cos(Math.toRadians(deg));
    }

    private static double mod360(double deg) {
        return ((deg % 360) + 360) % 360;
    }
}
