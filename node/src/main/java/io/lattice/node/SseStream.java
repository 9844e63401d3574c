package io.lattice.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.lattice.api.ApiError;
import io.lattice.api.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A server-sent-events response as OpenAI streams it: {@code data: <json>\n\n} per event, flushed at
 * once, ended by {@code data: [DONE]\n\n} or, after a failure, by one {@code data: {"error":...}} event.
 *
 * <p>A failed write means the client went away: {@link #send} then throws {@link ClientGoneException},
 * which, thrown from an engine's token listener, stops generation and frees the engine slot.
 *
 * <p>Not thread-safe: one generating thread writes.
 */
final class SseStream implements AutoCloseable {

    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    /** The client closed the connection; generation should stop. */
    static final class ClientGoneException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClientGoneException(Throwable cause) {
            super("the client closed the connection", cause, false, false);
        }
    }

    private final ServerResponse res;
    private final ObjectNode opening;
    private OutputStream out;
    private boolean clientGone;

    private SseStream(ServerResponse res, ObjectNode opening) {
        this.res = res;
        this.opening = opening;
    }

    /**
     * A stream that commits the 200 and the event-stream headers only with its first event, preceded
     * by {@code opening} when that is not null. Until then nothing is sent, so a failure before the
     * first token (a prompt too long for the context, an upstream server that is down) can still be
     * answered with a proper status, and a gateway can still place the request elsewhere.
     */
    static SseStream lazy(ServerResponse res, ObjectNode opening) {
        return new SseStream(res, opening);
    }

    /** Whether the 200 went out, after which failures can only be reported as an error event. */
    boolean started() {
        return out != null;
    }

    /** Sends one event and flushes it. @throws ClientGoneException when the client went away */
    void send(ObjectNode event) {
        write(event(event));
    }

    private static byte[] event(ObjectNode json) {
        return ("data: " + Json.string(json) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Sends the closing {@code [DONE]}. */
    void done() {
        write(DONE);
    }

    /**
     * Sends {@code error} as the last event of a started stream; a client that is gone is not an
     * error here.
     */
    void error(ApiError error) {
        try {
            String body = new String(Json.errorBody(error), StandardCharsets.UTF_8);
            write(("data: " + body + "\n\n").getBytes(StandardCharsets.UTF_8));
        } catch (ClientGoneException ignored) {
            // nobody left to tell
        }
    }

    /** Whether a write failed because the client closed the connection. */
    boolean clientGone() {
        return clientGone;
    }

    private void write(byte[] bytes) {
        if (clientGone) {
            throw new ClientGoneException(null);
        }
        try {
            if (out == null) {
                res.status(Status.OK_200);
                res.header(HeaderValues.CONTENT_TYPE_EVENT_STREAM);
                res.header(HeaderNames.CACHE_CONTROL, "no-cache");
                // proxies such as nginx buffer responses unless told not to; a buffered stream is no stream
                res.header("X-Accel-Buffering", "no");
                out = res.outputStream();
                if (opening != null) {
                    out.write(event(opening));
                }
            }
            out.write(bytes);
            out.flush();
        } catch (IOException | RuntimeException e) {
            clientGone = true;
            throw new ClientGoneException(e);
        }
    }

    /** Ends a started response; a client that is gone is not an error here. */
    @Override
    public void close() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException | RuntimeException e) {
            clientGone = true;
        }
    }
}
