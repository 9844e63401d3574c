package io.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @Test
    void convert_readsTheUnitsPeopleWrite() {
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("3s")).isEqualTo(Duration.ofSeconds(3));
        assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(converter.convert("1H")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void convert_rejectsOtherFormsWithAnExample() {
        assertThatThrownBy(() -> converter.convert("3 seconds"))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("500ms, 3s, 2m or 1h");
    }
}
