package io.lattice.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void echoOrCreate_keepsSaneIdsAndReplacesOthers() {
        assertThat(RequestIds.echoOrCreate("trace-42.a:b_c")).isEqualTo("trace-42.a:b_c");
        assertThat(RequestIds.echoOrCreate("evil\r\nx-admin: yes")).startsWith("req_");
        assertThat(RequestIds.echoOrCreate("x".repeat(RequestIds.MAX_LENGTH + 1))).startsWith("req_");
        assertThat(RequestIds.echoOrCreate("")).startsWith("req_");
        assertThat(RequestIds.echoOrCreate(null)).startsWith("req_");
    }

    @Test
    void create_isFixedLengthHexAndUnique() {
        String a = RequestIds.create();
        String b = RequestIds.create();
        assertThat(a).matches("req_[0-9a-f]{24}");
        assertThat(a).isNotEqualTo(b);
        assertThat(RequestIds.objectId("chatcmpl-")).matches("chatcmpl-[0-9a-f]{24}");
    }
}
