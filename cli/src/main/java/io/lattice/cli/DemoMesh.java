package io.lattice.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lattice.core.GeoPoint;
import io.lattice.gateway.GatewaySite;
import io.lattice.gateway.SitesFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The sites of the demo mesh, read from {@code demo-mesh.yaml} (bundled) or a file the user gives.
 * Each site carries the fields of a gateway sites file (read by {@link SitesFile}) plus its node.
 *
 * @param sites           one node per site
 * @param gatewayLocation where the demo's gateway is taken to stand, or null
 * @param energySites     the same sites as the gateway sees them (context and signals); filled by
 *                        {@link #load}, never read from the file directly
 */
record DemoMesh(List<Site> sites, Location gatewayLocation, List<GatewaySite> energySites) {

    /** The fields of a demo site that only the demo reads; the rest belong to the sites file. */
    private static final Set<String> NODE_FIELDS = Set.of("node", "idle-watts", "max-watts", "context");

    /**
     * One demo site as the demo reads it.
     *
     * @param idleWatts node power when idle, W (the estimated power model's floor)
     * @param maxWatts  node power at full load, W
     */
    record Site(String id, String name, String country, String context, String node, double idleWatts,
                double maxWatts) {
    }

    /** A point in degrees. */
    record Location(double lat, double lon) {
        GeoPoint point() {
            return new GeoPoint(lat, lon);
        }
    }

    static DemoMesh load(Path file, Instant now) {
        if (file == null) {
            try (InputStream in = DemoMesh.class.getResourceAsStream("demo-mesh.yaml")) {
                if (in == null) {
                    throw new IllegalStateException("demo-mesh.yaml is missing from the lattice jar");
                }
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "the bundled demo-mesh.yaml",
                        Path.of("."), now);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the bundled demo-mesh.yaml", e);
            }
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError("--config " + file + ": no such file");
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(),
                    file.toAbsolutePath().getParent(), now);
        } catch (IOException e) {
            throw new UserError("--config " + file + ": " + e.getMessage());
        }
    }

    private static DemoMesh parse(String text, String source, Path dir, Instant now) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                // the site fields of the sites file are checked, strictly, by SitesFile below
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        DemoMesh mesh;
        try {
            mesh = yaml.readValue(text, DemoMesh.class);
        } catch (IOException e) {
            throw new UserError(source + ": " + e.getMessage().lines().findFirst().orElse("unreadable"));
        }
        if (mesh == null || mesh.sites() == null || mesh.sites().isEmpty()) {
            throw new UserError(source + ": 'sites' must list at least one site");
        }
        Set<String> nodes = new HashSet<>();
        for (int i = 0; i < mesh.sites().size(); i++) {
            Site s = mesh.sites().get(i);
            String at = source + ": sites[" + i + "]";
            if (s.id() == null || s.id().isBlank()) {
                throw new UserError(at + ".id is required");
            }
            if (s.node() == null || s.node().isBlank()) {
                throw new UserError(at + ".node is required");
            }
            if (!nodes.add(s.node())) {
                throw new UserError(at + ".node '" + s.node() + "' is used twice; node ids must be unique");
            }
            if (s.idleWatts() < 0 || s.maxWatts() < s.idleWatts()) {
                throw new UserError(at + ": need 0 <= idle-watts <= max-watts but got " + s.idleWatts() + " and "
                        + s.maxWatts());
            }
        }
        List<GatewaySite> energySites;
        try {
            energySites = SitesFile.parse(text, source, dir, now, NODE_FIELDS);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        return new DemoMesh(mesh.sites(), mesh.gatewayLocation(), energySites);
    }
}
