package io.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {

    @TempDir
    Path tmp;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void demoWithRequests_servesEveryKindThroughTheGatewayAndPrintsATablePerSite() {
        CliRun run = run("demo", "--port", "0", "--requests", "16", "--cache-dir", tmp.toString(), "--context", "512");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("Lattice demo mesh is up: http://127.0.0.1:")
                .contains("answers are noise")
                .contains("curl -s http://127.0.0.1:")
                .contains("16/16");
        // placement is energy-aware now (balanced), so not every site need serve; each row that is there
        // has requests, tokens, latency and the summed usage.lattice figures: J, gCO2e, USD
        assertThat(run.out()).containsPattern("(?m)^site +node +requests +tokens +mean latency +energy J +gCO2e +USD$");
        int rows = 0;
        for (String site : new String[] {"brittany-greenhouse", "andalusia-solar", "frankfurt-edge", "texas-wind"}) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + site
                    + " +\\S+ +([1-9]\\d*) +[1-9]\\d* +\\d+\\.\\d ms +(\\d+\\.\\d{3}) +(\\d+\\.\\d{6}) +(-?\\d+\\.\\d{8})$")
                    .matcher(run.out());
            if (m.find()) {
                rows++;
                assertThat(Double.parseDouble(m.group(2))).as("energy J at " + site).isPositive();
            }
        }
        assertThat(rows).isPositive();
        assertThat(run.out()).containsPattern("(?m)^all +16 +\\d+ +\\d+\\.\\d ms +\\d+\\.\\d{3} ");
        assertThat(run.out()).contains("figures are estimated");
        assertThat(tmp.resolve("models/tiny-random-llama.gguf")).isRegularFile();
        // every request went to the demo's own ledger in the cache directory, which the demo names
        assertThat(run.out()).contains("Ledger: sqlite:" + tmp.resolve("lattice.db").toAbsolutePath().normalize());
        try (io.lattice.store.Store store = io.lattice.store.Store.open("sqlite:" + tmp.resolve("lattice.db"))) {
            assertThat(store.ledger().sum(io.lattice.store.LedgerQuery.tenant("default")).all().requests())
                    .isEqualTo(16);
        }
    }

    @Test
    void demoWithMissingModelFile_saysWhatToGiveInsteadOfAStackTrace() {
        CliRun run = run("demo", "--port", "0", "--model", tmp.resolve("missing.gguf").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--model").contains("missing.gguf").contains("no such file")
                .doesNotContain("Exception");
    }

    @Test
    void demoWithBadMeshFile_namesTheFieldAtFault() throws Exception {
        Path mesh = tmp.resolve("mesh.yaml");
        Files.writeString(mesh, """
                sites:
                  - id: a
                    node: n1
                    idle-watts: 10
                    max-watts: 20
                  - id: b
                    node: n1
                    idle-watts: 10
                    max-watts: 20
                """);

        CliRun run = run("demo", "--port", "0", "--config", mesh.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("sites[1].node").contains("n1").contains("unique");
    }

    @Test
    void demoWithBadSiteContext_namesFileFieldValueAndRule() throws Exception {
        Path mesh = tmp.resolve("mesh.yaml");
        Files.writeString(mesh, """
                sites:
                  - id: a
                    node: n1
                    idle-watts: 10
                    max-watts: 20
                    country: FR
                    lat: 48
                    lon: -3
                    pue: 0.9
                    signals:
                      generated:
                        carbon: {base: 50}
                        price: {base: 80}
                """);

        CliRun run = run("demo", "--port", "0", "--config", mesh.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("mesh.yaml").contains("sites[0]").contains("pue").contains("0.9")
                .contains(">= 1").doesNotContain("Exception");
    }

    @Test
    void unknownCommand_printsUsage() {
        CliRun run = run("fly");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument").contains("Usage: lattice");
    }
}
