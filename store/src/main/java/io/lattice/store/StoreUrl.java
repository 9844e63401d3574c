package io.lattice.store;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A parsed store URL. Accepted forms:
 * <ul>
 *   <li>{@code sqlite:/abs/lattice.db}, {@code sqlite:rel/lattice.db}, {@code sqlite:///abs/lattice.db},
 *       {@code jdbc:sqlite:/abs/lattice.db};</li>
 *   <li>a plain path, absolute or relative to the working directory;</li>
 *   <li>a leading {@code ~/} in either stands for the user's home;</li>
 *   <li>{@code postgres://…}, {@code postgresql://…}, {@code jdbc:postgresql:…}: recognised but not
 *       supported yet.</li>
 * </ul>
 * A string starting with two or more letters and a colon is read as a URL scheme, so a relative
 * file named {@code ab:c.db} must be written {@code ./ab:c.db}.
 */
record StoreUrl(Kind kind, Path path) {

    enum Kind { SQLITE }

    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:");

    StoreUrl {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(path);
    }

    /** The canonical form, {@code sqlite:/abs/path}. */
    @Override
    public String toString() {
        return "sqlite:" + path;
    }

    /**
     * @throws IllegalArgumentException when {@code url} is blank, names an unknown or not yet
     *                                  supported scheme, or an in-memory database
     */
    static StoreUrl parse(String url, Path home) {
        Objects.requireNonNull(url, "store URL must not be null");
        String u = url.strip();
        if (u.isEmpty()) {
            throw new IllegalArgumentException("store URL must not be blank; use sqlite:/path/lattice.db or a file path");
        }
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("postgres://") || lower.startsWith("postgresql://") || lower.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("PostgreSQL store arrives with batches (issue 4); for now use a SQLite"
                    + " file such as sqlite:/var/lib/lattice/lattice.db (was '" + redact(u) + "')");
        }
        String file;
        if (lower.startsWith("jdbc:sqlite:")) {
            file = u.substring("jdbc:sqlite:".length());
        } else if (lower.startsWith("sqlite:")) {
            file = u.substring("sqlite:".length());
            if (file.startsWith("//")) {
                if (!file.startsWith("///")) {
                    throw new IllegalArgumentException("store URL '" + u + "' names a host, which SQLite has not;"
                            + " write sqlite:/abs/path.db or sqlite:///abs/path.db");
                }
                file = file.substring(2);
            }
        } else if (SCHEME.matcher(u).find()) {
            throw new IllegalArgumentException("store URL '" + redact(u) + "' has an unknown scheme; use"
                    + " sqlite:/path/lattice.db, a file path, or (later) postgres://host/db");
        } else {
            file = u;
        }
        if (file.isBlank()) {
            throw new IllegalArgumentException("store URL '" + u + "' names no file; use sqlite:/path/lattice.db");
        }
        if (file.equals(":memory:") || file.startsWith("file::memory:") || file.contains("mode=memory")) {
            throw new IllegalArgumentException("store URL '" + u + "' is an in-memory database, which is not durable;"
                    + " give a file path (tests can use a temporary directory)");
        }
        if (file.startsWith("file:") || file.contains("?")) {
            throw new IllegalArgumentException("store URL '" + u + "' uses SQLite URI options, which the store sets"
                    + " itself; give just the file path");
        }
        if (file.equals("~") || file.startsWith("~/")) {
            file = home.toString() + file.substring(1);
        }
        try {
            return new StoreUrl(Kind.SQLITE, Path.of(file).toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("store URL '" + u + "' is not a valid file path: " + e.getMessage(), e);
        }
    }

    /**
     * {@code url} with any password hidden: {@code user:secret@} becomes {@code user:***@} and
     * {@code password=secret} becomes {@code password=***}, so the URL can go into messages and logs.
     */
    static String redact(String url) {
        return url.replaceAll("(//[^/:@]*:)[^@/]*@", "$1***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
