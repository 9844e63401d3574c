package io.lattice.node;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lattice.api.ApiError;
import io.lattice.api.ApiException;
import io.lattice.api.Json;
import io.lattice.api.LatticeHeaders;
import io.lattice.core.ServedModel;
import io.lattice.engine.EngineException;
import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * The one place where failures become OpenAI error JSON: routing errors, Helidon's own protocol
 * errors (through {@link #directHandler()}), and errors in the middle of a stream (through
 * {@link #toApiError}). Bodies never carry stack traces or internals; a 500 carries the request id
 * that the log line also carries.
 *
 * <p>Thread-safe: stateless apart from the node identity.
 */
final class ErrorMapper {

    private static final System.Logger LOG = System.getLogger(ErrorMapper.class.getName());

    private final String nodeId;
    private final String siteId;

    ErrorMapper(String nodeId, String siteId) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.siteId = Objects.requireNonNull(siteId, "siteId");
    }

    /**
     * The API error for any failure; logs what the operator needs (engine failures at WARNING, bugs at
     * ERROR with the stack trace), never what the client sent.
     */
    ApiError toApiError(Throwable t, String requestId) {
        if (t instanceof ApiException api) {
            return api.error();
        }
        if (t instanceof EngineException e) {
            LOG.log(Level.WARNING, "request " + requestId + ": engine failed: " + e.getMessage(), e);
            return new ApiError(500, "The model failed while answering (request id " + requestId
                    + "). The operator can find the cause in the node's logs.", ApiError.SERVER_ERROR, null,
                    "engine_error", 0);
        }
        if (t instanceof HttpException http && http.status().code() >= 400 && http.status().code() < 500) {
            // Helidon's own refusals from inside routing (a path it cannot decode, for example)
            int code = http.status().code();
            String message = http.getMessage() == null || http.getMessage().isBlank()
                    ? http.status().reasonPhrase() : http.getMessage();
            return new ApiError(code, message, ApiError.INVALID_REQUEST, null, null, 0);
        }
        LOG.log(Level.ERROR, "request " + requestId + ": unexpected failure", t);
        return ApiError.internal(requestId);
    }

    /**
     * The error for an engine that failed while serving {@code model}: 502 when the engine is a remote
     * server (the fault is upstream of this node), 500 when it runs here.
     */
    ApiException engineFailed(ServedModel model, EngineException e, String requestId) {
        boolean remote = "remote".equals(model.format());
        LOG.log(Level.WARNING, "request " + requestId + ": engine of model " + model.id() + " failed: "
                + e.getMessage(), e);
        String message = remote
                ? "The upstream server of model '" + model.id() + "' failed or could not be reached (request id "
                        + requestId + "). Retry, or send the request to another node."
                : "The model '" + model.id() + "' failed while answering (request id " + requestId
                        + "). The operator can find the cause in the node's logs.";
        return new ApiError(remote ? 502 : 500, message, ApiError.SERVER_ERROR, null,
                remote ? "upstream_error" : "engine_error", 0).toException();
    }

    /** Routing's error handler for every {@link Throwable}. */
    void handle(ServerRequest req, ServerResponse res, Throwable t) {
        String requestId = res.headers().first(HeaderNames.create(LatticeHeaders.REQUEST_ID))
                .orElseGet(RequestIds::create);
        render(res, toApiError(t, requestId), requestId);
    }

    /** Sends {@code error} as the whole response. */
    void render(ServerResponse res, ApiError error, String requestId) {
        res.status(Status.create(error.status()));
        // the filter set these, but repeat them: an error can come before or without it
        res.header(LatticeHeaders.NODE, nodeId);
        res.header(LatticeHeaders.SITE, siteId);
        res.header(LatticeHeaders.REQUEST_ID, requestId);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        if (error.retryAfterSeconds() > 0) {
            res.header(HeaderNames.RETRY_AFTER, Integer.toString(error.retryAfterSeconds()));
        }
        res.send(Json.errorBody(error));
    }

    /**
     * Renders Helidon's own errors (a request line it cannot parse, headers too large) as OpenAI error
     * JSON too, so no client ever sees a plain-text error from this node.
     */
    DirectHandler directHandler() {
        return (request, eventType, status, headers, message) -> {
            int code = status.code() >= 400 && status.code() <= 599 ? status.code() : 500;
            String safe = message == null || message.isBlank() || code >= 500
                    ? (code >= 500 ? "The server had an error while processing your request." : status.reasonPhrase())
                    : message;
            ApiError error = new ApiError(code, safe, code >= 500 ? ApiError.SERVER_ERROR : ApiError.INVALID_REQUEST,
                    null, null, 0);
            ServerResponseHeaders out = headers;
            out.set(HeaderValues.CONTENT_TYPE_JSON);
            out.set(HeaderNames.create(LatticeHeaders.NODE), nodeId);
            out.set(HeaderNames.create(LatticeHeaders.SITE), siteId);
            return DirectHandler.TransportResponse.builder()
                    .status(Status.create(code))
                    .headers(out)
                    .entity(Json.errorBody(error))
                    .build();
        };
    }
}
