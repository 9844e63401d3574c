package io.lattice.store;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Schema migrations: numbered SQL scripts applied in order, each in its own transaction, with a
 * row in {@code schema_version} per script applied.
 *
 * <p>Design note. Scripts live on the class path under {@code db/migration/}, named
 * {@code V<n>__<what>.sql} and numbered 1, 2, 3… without gaps. A script written for one engine only
 * goes under {@code db/migration/<dialect>/} ({@code sqlite} or {@code postgres}) with the same name
 * and wins over the shared one; most scripts are shared, since the store writes SQL both engines
 * accept. The list of scripts is {@link #SCRIPTS}, in code rather than found by scanning the class
 * path (which a jar does not support well); a test checks it matches the resource folder.
 *
 * <p>At open: {@code schema_version} is created when missing; a database whose newest version is
 * above what this code knows is refused (a newer Lattice wrote it, and an older one could corrupt
 * what it does not understand); a script whose text changed after it was applied is refused (its
 * SHA-256 is recorded); then each pending script runs. Each check and each script runs in a write
 * transaction that re-reads the version, so two processes opening one file at once apply each
 * script once. Scripts must never be edited once released: add a new one.
 */
final class Migrations {

    /** Every migration this code knows, in order. Add new scripts at the end. */
    static final List<String> SCRIPTS = List.of("V1__ledger.sql");

    static final String FOLDER = "db/migration/";

    private static final System.Logger LOG = System.getLogger("io.lattice.store");
    private static final Pattern NAME = Pattern.compile("V([1-9][0-9]*)__([a-z0-9_]+)\\.sql");

    private Migrations() {
    }

    /** One script, loaded. */
    record Migration(int version, String description, String script, String sql, String checksum) {
    }

    /** The scripts for {@code dialect}, read from the class path. */
    static List<Migration> load(String dialect) {
        return parse(SCRIPTS, name -> {
            String text = resource(FOLDER + dialect + "/" + name);
            return text != null ? text : resource(FOLDER + name);
        });
    }

    /**
     * Checks {@code names} (pattern, numbering 1…n without gaps) and loads each with {@code loader}.
     *
     * @throws IllegalStateException when a name or the numbering is wrong or a script is missing:
     *                               a build mistake, not a runtime condition
     */
    static List<Migration> parse(List<String> names, Function<String, String> loader) {
        List<Migration> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                throw new IllegalStateException("migration script '" + name
                        + "' must be named V<n>__<lower_case_words>.sql");
            }
            int version = Integer.parseInt(m.group(1));
            if (version != i + 1) {
                throw new IllegalStateException("migration script '" + name + "' is number " + (i + 1)
                        + " in the list but says V" + version + "; versions must run 1, 2, 3… without gaps");
            }
            String sql = loader.apply(name);
            if (sql == null) {
                throw new IllegalStateException("migration script " + FOLDER + name + " is not on the class path");
            }
            String normalised = sql.replace("\r\n", "\n");
            out.add(new Migration(version, m.group(2).replace('_', ' '), name, normalised, sha256(normalised)));
        }
        return List.copyOf(out);
    }

    /**
     * Brings {@code db} to the newest version in {@code known}.
     *
     * @return the version the database is at afterwards
     * @throws StoreException when the database is newer than {@code known}, a recorded script
     *                        differs from ours, or a script fails (that script is rolled back)
     */
    static int migrate(Database db, List<Migration> known, InstantSource clock) {
        int latest = known.size();
        TreeMap<Integer, String> applied = db.write("reading schema_version", c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                        + " version INTEGER PRIMARY KEY,"
                        + " description TEXT NOT NULL,"
                        + " script TEXT NOT NULL,"
                        + " checksum TEXT NOT NULL,"
                        + " applied_at TEXT NOT NULL)");
            }
            return appliedVersions(c);
        });
        verify(db, known, applied);
        List<String> ran = new ArrayList<>();
        for (Migration m : known) {
            if (applied.containsKey(m.version())) {
                continue;
            }
            boolean appliedNow = db.write("applying migration " + m.script(), c -> {
                TreeMap<Integer, String> now = appliedVersions(c);
                if (now.containsKey(m.version())) {
                    return false;               // another process applied it since we looked
                }
                if (!now.isEmpty() && now.lastKey() != m.version() - 1) {
                    throw new StoreException(db.describe() + " is at schema version " + now.lastKey()
                            + " but migration " + m.script() + " expects version " + (m.version() - 1));
                }
                try (Statement st = c.createStatement()) {
                    for (String stmt : SqlScript.split(m.sql())) {
                        st.execute(stmt);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO schema_version"
                        + " (version, description, script, checksum, applied_at) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setInt(1, m.version());
                    ps.setString(2, m.description());
                    ps.setString(3, m.script());
                    ps.setString(4, m.checksum());
                    ps.setString(5, clock.instant().toString());
                    ps.executeUpdate();
                }
                return true;
            });
            if (appliedNow) {
                ran.add(m.script());
            }
        }
        if (!ran.isEmpty() && applied.isEmpty()) {
            LOG.log(Level.INFO, "created {0} at schema version {1}", db.describe(), latest);
        } else if (!ran.isEmpty()) {
            LOG.log(Level.INFO, "upgraded {0} from schema version {1} to {2} (applied {3})", db.describe(),
                    applied.lastKey(), latest, ran);
        }
        return latest;
    }

    private static void verify(Database db, List<Migration> known, TreeMap<Integer, String> applied) {
        int latest = known.size();
        if (!applied.isEmpty() && applied.lastKey() > latest) {
            throw new StoreException(db.describe() + " is at schema version " + applied.lastKey()
                    + " but this Lattice knows versions up to " + latest
                    + ": a newer Lattice wrote it. Run that newer Lattice, or point the store at another file;"
                    + " opening it here could damage data this version does not understand");
        }
        for (var e : applied.entrySet()) {
            Migration m = known.get(e.getKey() - 1);
            if (!m.checksum().equals(e.getValue())) {
                throw new StoreException(db.describe() + ": migration " + m.script()
                        + " was changed after it was applied (recorded SHA-256 " + e.getValue() + ", now "
                        + m.checksum() + "). Restore the released script and put the change in a new migration");
            }
        }
        if (!applied.isEmpty() && applied.size() != applied.lastKey()) {
            throw new StoreException(db.describe() + ": schema_version has versions " + applied.keySet()
                    + ", with gaps; the table was edited by hand and the schema cannot be trusted");
        }
    }

    /** version → checksum of every row of schema_version. */
    private static TreeMap<Integer, String> appliedVersions(java.sql.Connection c) throws SQLException {
        TreeMap<Integer, String> out = new TreeMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, checksum FROM schema_version")) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getString(2));
            }
        }
        return out;
    }

    private static String resource(String path) {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration script " + path + ": " + e, e);
        }
    }

    static String sha256(String text) {
        Objects.requireNonNull(text);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
