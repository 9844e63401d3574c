package io.lattice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lattice.core.LeastLoadedPolicy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {

    /** Holds the gateway's ledger: a test never writes to the user's store. */
    @TempDir
    Path dir;

    @Test
    void defaults_areLoopback8080With3sTimeoutAnd16MiBAndLeastLoaded() {
        GatewayConfig c = GatewayConfig.defaults();

        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.maxBodyBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(c.policy()).isInstanceOf(LeastLoadedPolicy.class);
    }

    @Test
    void withMethods_changeOneFieldAndKeepTheRest() {
        GatewayConfig c = GatewayConfig.defaults().withPort(0).withStoreUrl("sqlite:" + dir.resolve("lattice.db")).withHeartbeatTimeout(Duration.ofMillis(500));

        assertThat(c.port()).isZero();
        assertThat(c.heartbeatTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(GatewayConfig.defaults().port()).isEqualTo(8080);
    }

    @Test
    void badValues_areRefusedNamingFieldValueAndRule() {
        assertThatThrownBy(() -> GatewayConfig.defaults().withPort(70000))
                .hasMessage("port must be 0 (any free port) to 65535 but was 70000");
        assertThatThrownBy(() -> GatewayConfig.defaults().withHeartbeatTimeout(Duration.ZERO))
                .hasMessage("heartbeatTimeout must be positive but was PT0S");
        assertThatThrownBy(() -> GatewayConfig.defaults().withMaxBodyBytes(0))
                .hasMessageStartingWith("maxBodyBytes must be 1 to ").hasMessageEndingWith("but was 0");
        assertThatThrownBy(() -> GatewayConfig.defaults().withHost(" "))
                .hasMessage("host must not be blank");
        assertThatThrownBy(() -> GatewayConfig.defaults().withPolicy(null))
                .isInstanceOf(NullPointerException.class).hasMessage("policy");
    }

    @Test
    void closingTwice_isHarmless() {
        Gateway gateway = Gateway.start(GatewayConfig.defaults().withPort(0).withStoreUrl("sqlite:" + dir.resolve("lattice.db")));
        assertThat(gateway.port()).isPositive();
        assertThat(gateway.baseUrl().toString()).isEqualTo("http://127.0.0.1:" + gateway.port());

        gateway.close();
        gateway.close();
    }
}
