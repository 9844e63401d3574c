package io.lattice.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lattice.api.ApiError;
import io.lattice.api.ApiException;
import io.lattice.api.Json;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The one place where failures become responses, for the node agent and the gateway alike: a bad
 * field, a node that vanished, an engine that failed, Helidon refusing an oversized body before
 * routing — all are rendered here as OpenAI error JSON ({@link Json#errorBody}) with their status
 * and, where waiting helps, {@code Retry-After}. Bodies never carry stack traces, HTML or request
 * bytes; a bug becomes a 500 naming the request id, and the stack trace goes to the log.
 *
 * <p>Each server adds what only it knows through {@code domainErrors} (the node turns engine
 * failures into 500/502) and {@code identityHeaders} (the node names itself on every error).
 *
 * <p>Thread-safe: immutable.
 */
public final class OpenAiErrors {

    private static final System.Logger LOG = System.getLogger(OpenAiErrors.class.getName());

    private final long maxBodyBytes;
    private final Map<String, String> identityHeaders;
    private final BiFunction<Throwable, String, Optional<ApiError>> domainErrors;

    /**
     * @param maxBodyBytes    the body limit, named in 413 messages
     * @param identityHeaders headers every error carries (may be empty)
     * @param domainErrors    maps a failure and request id to an error when the server knows what it
     *                        means; empty for anything else
     */
    public OpenAiErrors(long maxBodyBytes, Map<String, String> identityHeaders,
                        BiFunction<Throwable, String, Optional<ApiError>> domainErrors) {
        this.maxBodyBytes = maxBodyBytes;
        this.identityHeaders = Map.copyOf(identityHeaders);
        this.domainErrors = Objects.requireNonNull(domainErrors, "domainErrors");
    }

    /** Without server-specific errors or headers. */
    public OpenAiErrors(long maxBodyBytes) {
        this(maxBodyBytes, Map.of(), (t, id) -> Optional.empty());
    }

    /** Writes {@code error} as the response; headers set before (request id, node, site) stay. */
    public void send(ServerResponse res, ApiError error) {
        if (res.isSent()) {
            LOG.log(Level.DEBUG, () -> "response already sent; dropping error " + error.status() + " "
                    + error.message());
            return;
        }
        res.status(Status.create(error.status()));
        identityHeaders.forEach(res::header);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        if (error.retryAfterSeconds() > 0) {
            res.header(HeaderNames.RETRY_AFTER, Integer.toString(error.retryAfterSeconds()));
        }
        res.send(Json.errorBody(error));
    }

    /** Sends the error {@code failure} stands for. */
    public void send(ServerResponse res, Throwable failure, String requestId) {
        send(res, toApiError(failure, requestId));
    }

    /**
     * What a failure means to the client: {@link ApiException}s carry their error; the server's own
     * domain errors come next; Helidon's HTTP exceptions (a body over {@code maxPayloadSize} read in
     * chunks, a bad header) keep their status; anything else is a bug, logged with its stack trace
     * and answered 500.
     */
    public ApiError toApiError(Throwable failure, String requestId) {
        if (failure instanceof ApiException api) {
            return api.error();
        }
        Optional<ApiError> known = domainErrors.apply(failure, requestId);
        if (known.isPresent()) {
            return known.get();
        }
        int status = switch (failure) {
            case HttpException h -> h.status().code();
            case RequestException r -> r.status().code();
            default -> 500;
        };
        if (status == Status.REQUEST_ENTITY_TOO_LARGE_413.code()) {
            return ApiError.bodyTooLarge(maxBodyBytes);
        }
        if (status >= 400 && status < 500) {
            return protocolError(status);
        }
        LOG.log(Level.ERROR, "request " + requestId + ": unexpected failure", failure);
        return ApiError.internal(requestId);
    }

    /** For Helidon's error routing: failures thrown outside a server's own handlers. */
    public void handle(ServerRequest req, ServerResponse res, Throwable failure) {
        String requestId = res.headers().first(RequestIds.HEADER).orElseGet(() -> RequestIds.of(req));
        res.header(RequestIds.HEADER, requestId);
        send(res, failure, requestId);
    }

    /**
     * Handlers for what Helidon answers before any route runs: a {@code Content-Length} over
     * {@code maxPayloadSize}, an unparseable request line or header. Without them Helidon would send
     * plain text.
     */
    public DirectHandlers directHandlers() {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        DirectHandler handler = this::direct;
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    private DirectHandler.TransportResponse direct(DirectHandler.TransportRequest request,
                                                   DirectHandler.EventType type, Status status,
                                                   ServerResponseHeaders headers, String message) {
        ApiError error;
        if (type == DirectHandler.EventType.PAYLOAD_TOO_LARGE || status.code() == 413) {
            error = ApiError.bodyTooLarge(maxBodyBytes);
        } else if (status.code() >= 400 && status.code() < 500) {
            error = protocolError(status.code());
        } else {
            LOG.log(Level.WARNING, () -> "HTTP layer failed a request with " + status + ": " + message);
            error = new ApiError(status.code() >= 500 && status.code() <= 599 ? status.code() : 500,
                    "The server had an error while reading your request.", ApiError.SERVER_ERROR, null, null, 0);
        }
        headers.set(HeaderValues.CONTENT_TYPE_JSON);
        headers.set(RequestIds.HEADER, RequestIds.echoOrCreate(request.headers().first(RequestIds.HEADER).orElse(null)));
        identityHeaders.forEach((name, value) -> headers.set(HeaderNames.create(name), value));
        return DirectHandler.TransportResponse.builder()
                .status(Status.create(error.status()))
                .headers(headers)
                .entity(Json.errorBody(error))
                .keepAlive(type.keepAlive())
                .build();
    }

    /** A 4xx from the HTTP layer; its own text may echo request bytes, so a fixed message is sent. */
    private static ApiError protocolError(int status) {
        String message = switch (status) {
            case 400 -> "The HTTP request is malformed (request line, headers or body encoding).";
            case 404 -> "Not found.";
            case 405 -> "Method not allowed.";
            case 408 -> "The request took too long to arrive.";
            case 414 -> "The request URL is too long.";
            case 431 -> "The request headers are too large.";
            default -> "The HTTP request was refused (status " + status + ").";
        };
        return new ApiError(status, message, ApiError.INVALID_REQUEST, null, "bad_http_request", 0);
    }
}
