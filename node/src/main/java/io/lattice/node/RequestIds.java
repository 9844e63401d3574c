package io.lattice.node;

import java.util.UUID;
import java.util.regex.Pattern;

/** Request ids: echoed when the caller sent a sane one, created otherwise. */
final class RequestIds {

    /** What an echoed id may look like; anything else could smuggle text into headers and logs. */
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:/+=-]{1,128}");

    private RequestIds() {
    }

    static String create() {
        return "req-" + UUID.randomUUID().toString().replace("-", "");
    }

    /** {@code given} when it is a sane id, else a new one. */
    static String echoOrCreate(String given) {
        return given != null && SANE.matcher(given).matches() ? given : create();
    }

    /** An OpenAI-style object id, for example {@code chatcmpl-3f2a...}. */
    static String objectId(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "");
    }
}
