package io.lattice.core.energy;

import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a site stands in law: a country and, optionally, a region within it.
 *
 * <p>Matching rule: an allowed code {@code FR} admits every site in France, whatever its region; an
 * allowed code {@code FR-BRE} admits only sites whose region is {@code FR-BRE} (a site known only as
 * {@code FR} does not match it, since nothing says it is in Brittany).
 *
 * @param country     ISO 3166-1 alpha-2 code, upper case, for example {@code FR}
 * @param subdivision ISO 3166-2 code including the country prefix, for example {@code FR-BRE}; null
 *                    when only the country is known
 */
public record Jurisdiction(String country, String subdivision) {

    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern SUBDIVISION = Pattern.compile("[A-Z]{2}-[A-Z0-9]{1,3}");

    public Jurisdiction {
        Objects.requireNonNull(country, "Jurisdiction: country must not be null");
        if (!COUNTRY.matcher(country).matches()) {
            throw new IllegalArgumentException("Jurisdiction: country must be an upper-case ISO 3166-1 alpha-2 code"
                    + " such as FR but was '" + country + "'");
        }
        if (subdivision != null
                && (!SUBDIVISION.matcher(subdivision).matches() || !subdivision.startsWith(country + "-"))) {
            throw new IllegalArgumentException("Jurisdiction: subdivision must be an upper-case ISO 3166-2 code of "
                    + country + " such as " + country + "-XXX but was '" + subdivision + "'");
        }
    }

    /**
     * Parses {@code FR} or {@code FR-BRE} (case-insensitive, surrounding blanks ignored).
     *
     * @throws IllegalArgumentException when the code has neither form
     */
    public static Jurisdiction parse(String code) {
        Objects.requireNonNull(code, "Jurisdiction code must not be null");
        String c = code.strip().toUpperCase(Locale.ROOT);
        if (COUNTRY.matcher(c).matches()) {
            return new Jurisdiction(c, null);
        }
        if (SUBDIVISION.matcher(c).matches()) {
            return new Jurisdiction(c.substring(0, 2), c);
        }
        throw new IllegalArgumentException("Jurisdiction code must look like FR (ISO 3166-1) or FR-BRE (ISO 3166-2)"
                + " but was '" + code + "'");
    }

    /** The code as written in configuration and headers: {@code FR} or {@code FR-BRE}. */
    public String code() {
        return subdivision == null ? country : subdivision;
    }

    /** Whether this site jurisdiction lies within {@code allowed} (see the matching rule above). */
    public boolean within(Jurisdiction allowed) {
        if (!country.equals(allowed.country)) {
            return false;
        }
        return allowed.subdivision == null || allowed.subdivision.equals(subdivision);
    }

    /**
     * Whether this site jurisdiction lies within any of {@code allowedCodes}; an empty collection allows
     * everywhere.
     *
     * @throws IllegalArgumentException when a code cannot be parsed
     */
    public boolean withinAny(Collection<String> allowedCodes) {
        if (allowedCodes.isEmpty()) {
            return true;
        }
        for (String code : allowedCodes) {
            if (within(parse(code))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return code();
    }
}
