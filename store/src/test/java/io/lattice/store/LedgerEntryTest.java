package io.lattice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LedgerEntryTest {

    @Test
    void build_truncatesTimeToMicroseconds() {
        LedgerEntry e = LedgerEntry.builder("r", "t", Instant.parse("2026-03-01T12:00:00.123456789Z"))
                .endpoint("/v1/embeddings").model("m").build();

        assertThat(e.time()).isEqualTo(Instant.parse("2026-03-01T12:00:00.123456Z"));
        assertThat(e.status()).isEqualTo(LedgerStatus.COMPLETED);
        assertThat(e.node()).isNull();
    }

    @Test
    void build_acceptsNegativeCost_becausePowerPricesGoNegative() {
        LedgerEntry e = Entries.chat("r", "t", 0).costUsd(-0.002).build();

        assertThat(e.costUsd()).isEqualTo(-0.002);
    }

    @Test
    void build_rejectsNegativeTokensAndEnergy_namingTheField() {
        assertThatThrownBy(() -> Entries.chat("r", "t", 0).tokens(-1, 0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LedgerEntry: promptTokens must be >= 0 but was -1");
        assertThatThrownBy(() -> Entries.chat("r", "t", 0).tokens(0, -5).build())
                .hasMessageContaining("completionTokens must be >= 0 but was -5");
        assertThatThrownBy(() -> Entries.chat("r", "t", 0).energyJ(-0.1).build())
                .hasMessageContaining("energyJ must be >= 0 but was -0.1");
        assertThatThrownBy(() -> Entries.chat("r", "t", 0).carbonG(Double.NaN).build())
                .hasMessageContaining("carbonG must be a finite number but was NaN");
        assertThatThrownBy(() -> Entries.chat("r", "t", 0).costUsd(Double.POSITIVE_INFINITY).build())
                .hasMessageContaining("costUsd must be a finite number");
    }

    @Test
    void build_rejectsBlankTenantAndMissingEndpoint() {
        assertThatThrownBy(() -> Entries.chat("r", " ", 0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LedgerEntry: tenant must not be blank but was ' '");
        assertThatThrownBy(() -> LedgerEntry.builder("r", "t", Entries.T0).model("m").build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("LedgerEntry: endpoint must not be null");
        assertThatThrownBy(() -> Entries.chat("r", "t", 0).placement("n", "", null).build())
                .hasMessageContaining("site must not be blank");
    }

    @Test
    void toBuilder_roundTripsEveryField() {
        LedgerEntry e = Entries.chat("r", "t", 5).estimated(true).status(LedgerStatus.CANCELLED).build();

        assertThat(e.toBuilder().build()).isEqualTo(e);
    }

    @Test
    void status_codesRoundTrip_andUnknownCodeIsRefused() {
        for (LedgerStatus s : LedgerStatus.values()) {
            assertThat(LedgerStatus.fromCode(s.code())).isEqualTo(s);
        }
        assertThatThrownBy(() -> LedgerStatus.fromCode("ok")).hasMessageContaining("but was 'ok'");
    }

    @Test
    void query_rejectsEmptyWindowAndOutOfRangeLimit() {
        assertThatThrownBy(() -> LedgerQuery.tenant("t").between(Entries.T0, Entries.T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from must be before to");
        assertThatThrownBy(() -> LedgerQuery.tenant("t").withLimit(0))
                .hasMessage("LedgerQuery: limit must be between 1 and 10000 but was 0");
        assertThatThrownBy(() -> LedgerQuery.tenant(""))
                .hasMessageContaining("tenant must not be blank");
    }
}
