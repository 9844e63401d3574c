package io.lattice.core.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The small JSON reader, checked by hand and against Jackson as the reference parser. */
class JsonTest {

    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void parse_readsEveryKindOfValue() {
        Object v = Json.parse(" {\"a\": [1, -2.5e1, 0.125, true, false, null], \"b\": {\"c\": \"\\u00b0C \\\"q\\\" \\n\\/\"},"
                + " \"d\": []} ", "t");
        Map<String, Object> expected = new LinkedHashMap<>();
        List<Object> a = new ArrayList<>(List.of(1.0, -25.0, 0.125, true, false));
        a.add(null);
        expected.put("a", a);
        expected.put("b", Map.of("c", "°C \"q\" \n/"));
        expected.put("d", List.of());
        assertThat(v).isEqualTo(expected);
    }

    @Test
    void parse_errorsNameLineAndColumn() {
        assertThatThrownBy(() -> Json.parse("{\n  \"a\": [1, 2,]\n}", "w.json"))
                .isInstanceOfSatisfying(SignalFormatException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(14);
                })
                .hasMessage("w.json line 2, column 14: unexpected ']'; expected a value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1 2]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", "-", "1e", "tru", "\"abc",
            "\"\\x\"", "\"\\u12g4\"", "{\"a\":1,\"a\":2}", "[1] x", "{a:1}", "\"tab\there\"", "1e999", "NaN"})
    void parse_rejectsMalformedInput(String text) {
        assertThatThrownBy(() -> Json.parse(text, "bad")).isInstanceOf(SignalFormatException.class)
                .hasMessageStartingWith("bad line 1, column ");
    }

    @Test
    void parse_limitsNesting() {
        String deep = "[".repeat(300) + "]".repeat(300);
        assertThatThrownBy(() -> Json.parse(deep, "deep")).hasMessageContaining("nested deeper than 256 levels");
        assertThat(Json.parse("[".repeat(200) + "]".repeat(200), "ok")).isInstanceOf(List.class);
    }

    @Test
    void parse_agreesWithJacksonOnSeededRandomDocuments() throws Exception {
        SplittableRandom random = new SplittableRandom(20230101L);
        for (int doc = 0; doc < 500; doc++) {
            String text = randomValue(random, 0);
            Object mine = Json.parse(text, "random-" + doc);
            Object reference = plain(JACKSON.readTree(text));
            assertThat(mine).as(text).isEqualTo(reference);
        }
    }

    @Test
    void parse_agreesWithJacksonOnTheRealWeatherFiles() throws Exception {
        for (String zone : new String[] {"DE-LU", "GB"}) {
            String text = Files.readString(SharedData.file("weather/weather-" + zone + "-2023.json"));
            assertThat(Json.parse(text, zone)).isEqualTo(plain(JACKSON.readTree(text)));
        }
    }

    /** Jackson's tree as the plain objects {@link Json} produces. */
    private static Object plain(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.properties().forEach(e -> m.put(e.getKey(), plain(e.getValue())));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(c -> l.add(plain(c)));
            return l;
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        return null;
    }

    private static String randomValue(SplittableRandom r, int depth) {
        int kind = depth > 4 ? 2 + r.nextInt(4) : r.nextInt(6);
        return switch (kind) {
            case 0 -> {
                StringBuilder b = new StringBuilder("{").append(ws(r));
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    b.append(i > 0 ? "," + ws(r) : "").append('"').append("k").append(i).append(randomChars(r))
                            .append('"').append(ws(r)).append(':').append(ws(r)).append(randomValue(r, depth + 1));
                }
                yield b.append(ws(r)).append('}').toString();
            }
            case 1 -> {
                StringBuilder b = new StringBuilder("[").append(ws(r));
                int n = r.nextInt(6);
                for (int i = 0; i < n; i++) {
                    b.append(i > 0 ? ws(r) + "," + ws(r) : "").append(randomValue(r, depth + 1));
                }
                yield b.append(ws(r)).append(']').toString();
            }
            case 2 -> '"' + randomChars(r) + '"';
            case 3 -> randomNumber(r);
            case 4 -> r.nextBoolean() ? "true" : "false";
            default -> r.nextInt(3) == 0 ? "null" : randomNumber(r);
        };
    }

    private static String ws(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> " ";
            case 1 -> "\n    ";
            case 2 -> "\r\n\t";
            default -> "";
        };
    }

    private static String randomNumber(SplittableRandom r) {
        String sign = r.nextBoolean() ? "-" : "";
        String integer = String.valueOf(1 + r.nextInt(100_000));
        return switch (r.nextInt(4)) {
            case 0 -> sign + integer;
            case 1 -> sign + integer + "." + r.nextInt(1000);
            case 2 -> sign + "0." + (1 + r.nextInt(999));
            default -> sign + integer + (r.nextBoolean() ? "e" : "E") + (r.nextBoolean() ? "-" : "+") + r.nextInt(30);
        };
    }

    private static String randomChars(SplittableRandom r) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(8);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(8)) {
                case 0 -> b.append("\\\"");
                case 1 -> b.append("\\\\");
                case 2 -> b.append("\\n\\t\\/\\b\\f\\r");
                case 3 -> b.append(String.format("\\u%04x", r.nextInt(0xD800)));
                case 4 -> b.append("\\ud83d\\ude00"); // a surrogate pair
                case 5 -> b.append("°é€");
                default -> b.append((char) ('a' + r.nextInt(26)));
            }
        }
        return b.toString();
    }
}
