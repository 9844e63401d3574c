package io.lattice.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {

    private static List<SseReader.Event> read(String stream) throws IOException {
        SseReader reader = new SseReader(new BufferedReader(new StringReader(stream)));
        List<SseReader.Event> events = new ArrayList<>();
        SseReader.Event e;
        while ((e = reader.next()) != null) {
            events.add(e);
        }
        return events;
    }

    private static SseReader.Event data(String payload) {
        return new SseReader.Event(SseReader.Kind.DATA, payload);
    }

    @Test
    void next_readsOneEventPerBlankLineSeparatedBlock() throws IOException {
        assertThat(read("data: {\"a\":1}\n\ndata: [DONE]\n\n")).containsExactly(data("{\"a\":1}"), data("[DONE]"));
    }

    @Test
    void next_skipsCommentsAndUnknownFieldsAndExtraBlankLines() throws IOException {
        assertThat(read(": keep-alive\n\n\n\nevent: message\nid: 7\ndata: x\nretry: 10\n\n")).containsExactly(data("x"));
    }

    @Test
    void next_joinsMultiLineDataWithNewlinesAndKeepsSpacesAfterTheFirst() throws IOException {
        assertThat(read("data: one\ndata:  two\ndata:three\n\n")).containsExactly(data("one\n two\nthree"));
    }

    @Test
    void next_acceptsCrLfLineEnds() throws IOException {
        assertThat(read("data: a\r\n\r\ndata: b\r\n\r\n")).containsExactly(data("a"), data("b"));
    }

    @Test
    void next_deliversAnEventCutOffByTheEndOfTheStream() throws IOException {
        assertThat(read("data: [DONE]")).containsExactly(data("[DONE]"));
    }

    @Test
    void next_readsLlamaServerErrorLinesAsErrorEvents() throws IOException {
        assertThat(read("error: {\"code\":500,\"message\":\"boom\"}\n\n"))
                .containsExactly(new SseReader.Event(SseReader.Kind.ERROR, "{\"code\":500,\"message\":\"boom\"}"));
    }
}
