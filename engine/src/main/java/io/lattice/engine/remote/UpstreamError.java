package io.lattice.engine.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.api.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What an upstream server said went wrong, read leniently from the error shapes OpenAI-compatible
 * servers use: OpenAI's {@code {"error":{"message","type","param","code"}}} (also llama-server and
 * vLLM, where {@code code} is the HTTP status), Ollama's {@code {"error":"text"}}, older vLLM's flat
 * {@code {"message","type","code"}}, and plain text.
 *
 * @param message never null; the upstream text, or a note that there was none
 * @param type    OpenAI's error type, or null
 * @param param   the request field at fault, or null
 * @param code    a string code such as {@code context_length_exceeded}, or null (numeric codes are
 *                statuses and are dropped)
 */
record UpstreamError(String message, String type, String param, String code) {

    private static final int MAX_TEXT = 500;

    static UpstreamError parse(byte[] body) {
        if (body.length == 0) {
            return new UpstreamError("(no error message)", null, null, null);
        }
        try {
            JsonNode root = Json.mapper().readTree(body);
            if (root != null && root.isObject()) {
                return from(root);
            }
        } catch (IOException e) {
            // not JSON: fall through to the text
        }
        return new UpstreamError(shorten(new String(body, StandardCharsets.UTF_8).strip()), null, null, null);
    }

    /** Reads an error from a JSON object holding {@code error}, or being the error itself. */
    static UpstreamError from(JsonNode root) {
        JsonNode error = root.get("error");
        if (error != null && error.isTextual()) {
            return new UpstreamError(shorten(error.textValue()), null, null, null);
        }
        JsonNode holder = error != null && error.isObject() ? error : root;
        String message = text(holder.get("message"));
        return new UpstreamError(message == null ? shorten(root.toString()) : shorten(message),
                text(holder.get("type")), text(holder.get("param")), text(holder.get("code")));
    }

    /** The HTTP status in a numeric {@code code} (llama-server, vLLM), or 0. */
    static int statusIn(JsonNode root) {
        JsonNode error = root.get("error");
        JsonNode holder = error != null && error.isObject() ? error : root;
        JsonNode code = holder.get("code");
        return code != null && code.isInt() ? code.intValue() : 0;
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() && !node.textValue().isBlank() ? node.textValue() : null;
    }

    private static String shorten(String s) {
        return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) + "…" : s;
    }
}
