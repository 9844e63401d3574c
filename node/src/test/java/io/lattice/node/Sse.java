package io.lattice.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads a server-sent-events body the way OpenAI's SDKs do: the {@code data:} payload of each event. */
final class Sse {

    private Sse() {
    }

    /** The data payloads in order; {@code [DONE]} stays a plain string. */
    static List<String> data(String body) {
        List<String> out = new ArrayList<>();
        for (String event : body.split("\n\n")) {
            if (event.isBlank()) {
                continue;
            }
            if (!event.startsWith("data: ") || event.contains("\n")) {
                throw new AssertionError("not a single-line data event: '" + event + "'");
            }
            out.add(event.substring("data: ".length()));
        }
        return out;
    }

    static JsonNode json(String data) {
        try {
            return Json.mapper().readTree(data);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + data, e);
        }
    }
}
