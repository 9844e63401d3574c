package io.lattice.gateway;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.lattice.api.LatticeHeaders;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: the client's {@code x-request-id} when it sent a sane one, else a new random one.
 * The id travels to the node and back and into log lines, so anything long or with characters
 * outside {@code [A-Za-z0-9._:-]} is replaced rather than echoed (no header or log injection).
 */
final class RequestIds {

    static final HeaderName HEADER = HeaderNames.create(LatticeHeaders.REQUEST_ID);
    static final int MAX_LENGTH = 128;

    private RequestIds() {
    }

    static String of(ServerRequest req) {
        String given = req.headers().first(HEADER).orElse(null);
        return given != null && isSane(given) ? given : create();
    }

    static boolean isSane(String id) {
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
    static String create() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "req_" + hex(random.nextLong(), 16) + hex(random.nextInt(), 8);
    }

    private static String hex(long value, int digits) {
        String s = Long.toHexString(digits == 8 ? value & 0xffffffffL : value);
        return "0".repeat(digits - s.length()) + s;
    }
}
