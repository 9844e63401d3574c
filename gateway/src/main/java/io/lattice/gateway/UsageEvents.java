package io.lattice.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lattice.api.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Relays an SSE stream event by event and rewrites only the event that carries a {@code usage}
 * object (the last chunk when {@code stream_options.include_usage} is set), so the figures can be
 * added there. When the client did not ask for usage (the gateway asked the node for it, for the
 * ledger), that event is read for its figures and withheld: dropped when it carries no choices (the
 * OpenAI usage chunk has none), else passed on without its {@code usage}. Every other event passes through as the node wrote it, without being parsed: only a
 * byte search for {@code "usage":{} and {@code \n\n} event ends is done on them.
 *
 * <p>Bytes of an event not yet complete are held back until its end arrives; a stream that ends
 * without a final {@code \n\n} gets its tail passed on unchanged by {@link #finish}.
 *
 * <p>Not thread-safe: one instance per stream, used by the thread relaying it.
 */
final class UsageEvents {

    private static final byte[] EVENT_END = {'\n', '\n'};
    private static final byte[] USAGE = "\"usage\":{".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    private final Consumer<ObjectNode> rewrite;
    private final boolean toClient;
    private byte[] pending = new byte[0];

    /**
     * @param rewrite  changes the parsed JSON of the usage event in place (and takes its figures)
     * @param toClient whether the client gets the usage event; false: withheld, as described above
     */
    UsageEvents(Consumer<ObjectNode> rewrite, boolean toClient) {
        this.rewrite = rewrite;
        this.toClient = toClient;
    }

    /** Passes on every complete event in what has arrived so far. */
    void write(byte[] buffer, int n, OutputStream out) throws IOException {
        byte[] data;
        if (pending.length == 0) {
            data = Arrays.copyOf(buffer, n);
        } else {
            data = Arrays.copyOf(pending, pending.length + n);
            System.arraycopy(buffer, 0, data, pending.length, n);
        }
        int start = 0;
        while (true) {
            int end = indexOf(data, EVENT_END, start, data.length);
            if (end < 0) {
                break;
            }
            int next = end + EVENT_END.length;
            if (indexOf(data, USAGE, start, end) >= 0) {
                out.write(rewritten(data, start, end));
            } else {
                out.write(data, start, next - start);
            }
            start = next;
        }
        pending = start == data.length ? new byte[0] : Arrays.copyOfRange(data, start, data.length);
    }

    /** Passes on whatever is still held back, unchanged. */
    void finish(OutputStream out) throws IOException {
        if (pending.length > 0) {
            out.write(pending);
            pending = new byte[0];
        }
    }

    /**
     * The event {@code data[start, end)} with its JSON rewritten, plus the event end (nothing when it is
     * withheld); unchanged if it is not one JSON data line.
     */
    private byte[] rewritten(byte[] data, int start, int end) {
        byte[] original = Arrays.copyOfRange(data, start, end + EVENT_END.length);
        int d = indexOf(data, DATA, start, end);
        if (d != start) {
            return original;
        }
        int from = d + DATA.length;
        String json = new String(data, from, end - from, StandardCharsets.UTF_8).strip();
        ObjectNode root;
        try {
            if (!(Json.mapper().readTree(json) instanceof ObjectNode o)) {
                return original;
            }
            root = o;
        } catch (IOException e) {
            return original;
        }
        rewrite.accept(root);
        if (!toClient) {
            if (!(root.get("choices") instanceof ArrayNode choices)
                    || choices.isEmpty()) {
                return new byte[0];
            }
            root.remove("usage");
        }
        byte[] body = Json.bytes(root);
        byte[] event = new byte[6 + body.length + 2];
        System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, event, 0, 6);
        System.arraycopy(body, 0, event, 6, body.length);
        event[event.length - 2] = '\n';
        event[event.length - 1] = '\n';
        return event;
    }

    private static int indexOf(byte[] data, byte[] needle, int from, int to) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
