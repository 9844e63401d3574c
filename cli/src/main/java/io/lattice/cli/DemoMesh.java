package io.lattice.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The sites of the demo mesh, read from {@code demo-mesh.yaml} (bundled) or a file the user gives.
 *
 * @param sites one node per site
 */
record DemoMesh(List<Site> sites) {

    /**
     * One demo site.
     *
     * @param idleWatts node power when idle, W (the estimated power model's floor)
     * @param maxWatts  node power at full load, W
     */
    record Site(String id, String name, String country, String context, String node, double idleWatts,
                double maxWatts) {
    }

    static DemoMesh load(Path file) {
        if (file == null) {
            try (InputStream in = DemoMesh.class.getResourceAsStream("demo-mesh.yaml")) {
                if (in == null) {
                    throw new IllegalStateException("demo-mesh.yaml is missing from the lattice jar");
                }
                return parse(in, "the bundled demo-mesh.yaml");
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the bundled demo-mesh.yaml", e);
            }
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError("--config " + file + ": no such file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new UserError("--config " + file + ": " + e.getMessage());
        }
    }

    private static DemoMesh parse(InputStream in, String source) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        DemoMesh mesh;
        try {
            mesh = yaml.readValue(in, DemoMesh.class);
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
        return mesh;
    }
}
