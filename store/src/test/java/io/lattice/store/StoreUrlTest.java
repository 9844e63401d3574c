package io.lattice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreUrlTest {

    private static final Path HOME = Path.of("/home/ada");

    @Test
    void parse_acceptsSqliteFormsAndPlainPaths() {
        assertThat(StoreUrl.parse("sqlite:/var/lib/lattice/l.db", HOME).path()).isEqualTo(Path.of("/var/lib/lattice/l.db"));
        assertThat(StoreUrl.parse("sqlite:///var/l.db", HOME).path()).isEqualTo(Path.of("/var/l.db"));
        assertThat(StoreUrl.parse("jdbc:sqlite:/var/l.db", HOME).path()).isEqualTo(Path.of("/var/l.db"));
        assertThat(StoreUrl.parse("/var/l.db", HOME).path()).isEqualTo(Path.of("/var/l.db"));
        assertThat(StoreUrl.parse("~/l.db", HOME).path()).isEqualTo(Path.of("/home/ada/l.db"));
        assertThat(StoreUrl.parse("sqlite:~/x/../l.db", HOME).path()).isEqualTo(Path.of("/home/ada/l.db"));
        assertThat(StoreUrl.parse("data/l.db", HOME).path())
                .isEqualTo(Path.of("data/l.db").toAbsolutePath().normalize());
        assertThat(StoreUrl.parse(" sqlite:/var/l.db ", HOME)).hasToString("sqlite:/var/l.db");
    }

    @Test
    void parse_refusesPostgresForNow_withoutEchoingThePassword() {
        assertThatThrownBy(() -> StoreUrl.parse("postgres://lattice:s3cret@db:5432/lattice", HOME))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("PostgreSQL store arrives with batches (issue 4)")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> StoreUrl.parse("jdbc:postgresql://db/lattice?user=l&password=s3cret", HOME))
                .hasMessageStartingWith("PostgreSQL store arrives with batches (issue 4)")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void parse_refusesInMemoryUnknownSchemesHostsAndBlank() {
        assertThatThrownBy(() -> StoreUrl.parse("sqlite::memory:", HOME)).hasMessageContaining("not durable");
        assertThatThrownBy(() -> StoreUrl.parse(":memory:", HOME)).hasMessageContaining("not durable");
        assertThatThrownBy(() -> StoreUrl.parse("mysql://db/x", HOME)).hasMessageContaining("unknown scheme");
        assertThatThrownBy(() -> StoreUrl.parse("sqlite://host/x.db", HOME)).hasMessageContaining("names a host");
        assertThatThrownBy(() -> StoreUrl.parse("sqlite:", HOME)).hasMessageContaining("names no file");
        assertThatThrownBy(() -> StoreUrl.parse("  ", HOME)).hasMessageContaining("must not be blank");
        assertThatThrownBy(() -> StoreUrl.parse("sqlite:/x.db?mode=ro", HOME)).hasMessageContaining("URI options");
    }

    @Test
    void defaultPath_prefersLatticeHome_thenXdgDataHome_thenLocalShare() {
        assertThat(Store.defaultPath(Map.of("LATTICE_HOME", "/srv/lattice", "XDG_DATA_HOME", "/xdg"), HOME))
                .isEqualTo(Path.of("/srv/lattice/lattice.db"));
        assertThat(Store.defaultPath(Map.of("XDG_DATA_HOME", "/xdg"), HOME))
                .isEqualTo(Path.of("/xdg/lattice/lattice.db"));
        assertThat(Store.defaultPath(Map.of("XDG_DATA_HOME", "relative/ignored", "LATTICE_HOME", " "), HOME))
                .isEqualTo(Path.of("/home/ada/.local/share/lattice/lattice.db"));
        assertThat(Store.defaultPath(Map.of(), HOME)).isEqualTo(Path.of("/home/ada/.local/share/lattice/lattice.db"));
    }

    @Test
    void defaultUrl_isASqliteUrl() {
        assertThat(Store.defaultUrl()).startsWith("sqlite:/").endsWith("/lattice.db");
    }
}
