package io.lattice.engine.remote;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reads server-sent events as OpenAI-compatible servers stream them: {@code data:} lines, events
 * separated by a blank line, {@code :} comment lines (keep-alives) skipped. Several {@code data:}
 * lines of one event are joined with newlines, as the SSE specification says. An event cut off by the
 * end of the stream is still delivered, since some servers omit the last blank line.
 *
 * <p>llama-server reports a failure during a stream with a non-standard {@code error:} line; it is
 * read as an event of kind {@link Kind#ERROR}. Other fields ({@code event}, {@code id},
 * {@code retry}) are ignored.
 *
 * <p>Not thread-safe: one reader per stream.
 */
final class SseReader {

    enum Kind { DATA, ERROR }

    /** One event: its kind and its payload (the joined lines, without field names). */
    record Event(Kind kind, String data) {
    }

    private final BufferedReader in;

    SseReader(BufferedReader in) {
        this.in = in;
    }

    /** The next event, or null at the end of the stream. */
    Event next() throws IOException {
        StringBuilder data = null;
        Kind kind = Kind.DATA;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new Event(kind, data.toString());
                }
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("data") || field.equals("error")) {
                if (field.equals("error")) {
                    kind = Kind.ERROR;
                }
                if (data == null) {
                    data = new StringBuilder(value.length());
                } else {
                    data.append('\n');
                }
                data.append(value);
            }
        }
        return data == null ? null : new Event(kind, data.toString());
    }
}
