package io.lattice.gateway;

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

/**
 * The one place where failures become responses: every error the gateway sends, from a bad field to
 * a node that vanished to Helidon refusing an oversized body before routing, is rendered here as
 * OpenAI error JSON with its status (and {@code Retry-After} where waiting helps). Bodies never
 * carry stack traces or HTML; bugs become a 500 that names the request id, and the stack trace goes
 * to the log.
 *
 * <p>Thread-safe (stateless apart from the configured body limit).
 */
final class ErrorMapper {

    private static final System.Logger LOG = System.getLogger(ErrorMapper.class.getName());

    private final long maxBodyBytes;

    ErrorMapper(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Writes {@code error} as the response; headers set before (request id, node, site) stay. */
    void send(ServerResponse res, ApiError error) {
        if (res.isSent()) {
            LOG.log(Level.DEBUG, () -> "response already sent; dropping error " + error.status() + " "
                    + error.message());
            return;
        }
        res.status(Status.create(error.status()));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        if (error.retryAfterSeconds() > 0) {
            res.header(HeaderNames.RETRY_AFTER, Integer.toString(error.retryAfterSeconds()));
        }
        res.send(Json.errorBody(error));
    }

    /** Sends the error {@code failure} stands for. */
    void send(ServerResponse res, Throwable failure, String requestId) {
        send(res, toApiError(failure, requestId));
    }

    /**
     * What a failure means to the client: {@link ApiException}s carry their error; Helidon's own
     * HTTP exceptions (a body over {@code maxPayloadSize} read in chunks, a bad header) keep their
     * status; anything else is a bug, logged with its stack trace and answered 500.
     */
    ApiError toApiError(Throwable failure, String requestId) {
        if (failure instanceof ApiException api) {
            return api.error();
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
        LOG.log(Level.WARNING, "request " + requestId + " failed", failure);
        return ApiError.internal(requestId);
    }

    /**
     * For Helidon's error routing: failures thrown outside the gateway's own handlers (its own
     * handlers catch theirs and call {@link #send(ServerResponse, Throwable, String)}).
     */
    void handle(ServerRequest req, ServerResponse res, Throwable failure) {
        String requestId = RequestIds.of(req);
        res.header(RequestIds.HEADER, requestId);
        send(res, failure, requestId);
    }

    /**
     * Handlers for what Helidon answers before any route runs: a {@code Content-Length} over
     * {@code maxPayloadSize}, an unparseable request line or header. Without them Helidon would send
     * plain text.
     */
    DirectHandlers directHandlers() {
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
        String given = request.headers().first(RequestIds.HEADER).orElse(null);
        headers.set(RequestIds.HEADER, given != null && RequestIds.isSane(given) ? given : RequestIds.create());
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
