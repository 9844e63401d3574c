package io.lattice.core;

/**
 * A point on the Earth's surface (WGS 84 degrees).
 *
 * @param latitudeDeg  −90 to 90, north positive
 * @param longitudeDeg −180 to 180, east positive
 */
public record GeoPoint(double latitudeDeg, double longitudeDeg) {

    /** Mean Earth radius in km (IUGG), used for great-circle distances. */
    public static final double EARTH_MEAN_RADIUS_KM = 6371.0088;

    public GeoPoint {
        if (!(latitudeDeg >= -90 && latitudeDeg <= 90)) {
            throw new IllegalArgumentException("GeoPoint: latitudeDeg must be between -90 and 90 but was " + latitudeDeg);
        }
        if (!(longitudeDeg >= -180 && longitudeDeg <= 180)) {
            throw new IllegalArgumentException("GeoPoint: longitudeDeg must be between -180 and 180 but was "
                    + longitudeDeg);
        }
    }

    /**
     * Great-circle distance in km on a sphere of {@link #EARTH_MEAN_RADIUS_KM} (haversine formula,
     * well conditioned for short distances; within about 0.5% of the ellipsoidal distance).
     */
    public double distanceKm(GeoPoint other) {
        double phi1 = Math.toRadians(latitudeDeg);
        double phi2 = Math.toRadians(other.latitudeDeg);
        double dPhi = phi2 - phi1;
        double dLambda = Math.toRadians(other.longitudeDeg - longitudeDeg);
        double h = Math.pow(Math.sin(dPhi / 2), 2)
                + Math.cos(phi1) * Math.cos(phi2) * Math.pow(Math.sin(dLambda / 2), 2);
        return 2 * EARTH_MEAN_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
    }
}
