package io.lattice.gateway.signal;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.api.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * GETs JSON with a request timeout and turns every failure into a {@link FetchException} whose message
 * names the endpoint (without its query's secrets — none are put there) and never holds {@code secret}.
 * Thread-safe: the {@link HttpClient} is.
 */
final class HttpJson {

    /** How much of an error body to keep in a message: enough to see a provider's error text. */
    private static final int BODY_SNIPPET = 200;

    private final HttpClient client;
    private final Duration requestTimeout;
    private final String secret;

    /**
     * @param secret a value to mask in every message (an API key), or {@code null} when there is none
     */
    HttpJson(HttpClient client, Duration requestTimeout, String secret) {
        this.client = client;
        this.requestTimeout = requestTimeout;
        this.secret = secret == null || secret.isEmpty() ? null : secret;
    }

    /** GETs {@code uri} with {@code headers} and parses the body as one JSON value. */
    JsonNode get(URI uri, Map<String, String> headers) throws FetchException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET()
                .header("Accept", "application/json");
        headers.forEach(request::header);
        String where = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getRawPath();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            throw new FetchException("connect to " + where + " timed out");
        } catch (HttpTimeoutException e) {
            throw new FetchException("GET " + where + " timed out after " + requestTimeout.toMillis() + " ms");
        } catch (ConnectException e) {
            throw new FetchException("cannot connect to " + where + ": " + mask(String.valueOf(e.getMessage())));
        } catch (IOException e) {
            throw new FetchException("GET " + where + " failed: " + e.getClass().getSimpleName() + ": "
                    + mask(String.valueOf(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException("GET " + where + " was interrupted");
        }
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() / 100 != 2) {
            String hint = response.statusCode() == 401 || response.statusCode() == 403
                    ? " (is the API key valid for this zone?)" : "";
            throw new FetchException("HTTP " + response.statusCode() + " from " + where + hint + ": "
                    + snippet(body));
        }
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new FetchException("GET " + where + " returned a body that is not JSON: " + snippet(body));
        }
    }

    /** The start of {@code body} on one line, masked. */
    String snippet(String body) {
        // mask before cutting, so a key that straddles the cut cannot leak in part
        String oneLine = mask(body.strip().replaceAll("\\s+", " "));
        String cut = oneLine.length() > BODY_SNIPPET ? oneLine.substring(0, BODY_SNIPPET) + "…" : oneLine;
        return cut.isEmpty() ? "(empty body)" : "'" + cut + "'";
    }

    /** {@code text} with every occurrence of the secret replaced. */
    String mask(String text) {
        return secret == null ? text : text.replace(secret, "****");
    }
}
