package io.lattice.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.lattice.api.LatticeHeaders;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: the caller's {@code x-request-id} when it sent a sane one, else a new random one.
 * The id travels from client to gateway to node and into log lines, so anything long or with
 * characters outside {@code [A-Za-z0-9._:-]} is replaced rather than echoed (no header or log
 * injection).
 *
 * <p>Thread-safe.
 */
public final class RequestIds {

    public static final HeaderName HEADER = HeaderNames.create(LatticeHeaders.REQUEST_ID);
    public static final int MAX_LENGTH = 128;

    private RequestIds() {
    }

    /** The request's id: its sane {@code x-request-id}, else a new one. */
    public static String of(ServerRequest req) {
        return echoOrCreate(req.headers().first(HEADER).orElse(null));
    }

    /** {@code given} when it is a sane id, else a new one. */
    public static String echoOrCreate(String given) {
        return given != null && isSane(given) ? given : create();
    }

    public static boolean isSane(String id) {
        if (id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_' || c == '.' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** {@code req_} and 24 hex digits; random, not secret, so a thread-local generator is enough. */
    public static String create() {
        return "req_" + randomHex();
    }

    /** An OpenAI-style object id, for example {@code chatcmpl-3f2a...}. */
    public static String objectId(String prefix) {
        return prefix + randomHex();
    }

    private static String randomHex() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return hex(random.nextLong(), 16) + hex(random.nextInt() & 0xffffffffL, 8);
    }

    private static String hex(long value, int digits) {
        String s = Long.toHexString(value);
        return "0".repeat(digits - s.length()) + s;
    }
}
