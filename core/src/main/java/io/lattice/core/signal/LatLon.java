package io.lattice.core.signal;

/**
 * A point on Earth in decimal degrees (WGS 84), used for solar geometry.
 *
 * @param latitude  degrees north, -90 to 90
 * @param longitude degrees east, -180 to 180
 */
public record LatLon(double latitude, double longitude) {
    public LatLon {
        if (!(latitude >= -90 && latitude <= 90)) {
            throw new IllegalArgumentException("latitude must be within [-90, 90] degrees but was " + latitude);
        }
        if (!(longitude >= -180 && longitude <= 180)) {
            throw new IllegalArgumentException("longitude must be within [-180, 180] degrees but was " + longitude);
        }
    }
}
