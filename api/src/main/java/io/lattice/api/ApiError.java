package io.lattice.api;

import java.util.Objects;

/**
 * An error as OpenAI's API reports it: an HTTP status and the body
 * {@code {"error":{"message","type","param","code"}}}.
 *
 * @param status     HTTP status code
 * @param message    what went wrong and, where it helps, what to do about it
 * @param type       OpenAI's error type, for example {@code invalid_request_error}
 * @param param      the request field at fault, or null
 * @param code       a machine-readable code, for example {@code model_not_found}, or null
 * @param retryAfterSeconds seconds a client should wait before retrying (sent as {@code Retry-After}), or 0
 */
public record ApiError(int status, String message, String type, String param, String code, int retryAfterSeconds) {

    public static final String INVALID_REQUEST = "invalid_request_error";
    public static final String SERVER_ERROR = "server_error";

    public ApiError {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(type, "type");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("error status must be 4xx or 5xx but was " + status);
        }
    }

    /** 400 for a field that is missing or wrong; names the field. */
    public static ApiError invalidField(String param, String message) {
        return new ApiError(400, message, INVALID_REQUEST, param, "invalid_value", 0);
    }

    /** 400 for a body that is not JSON or not an object. */
    public static ApiError malformedJson(String detail) {
        return new ApiError(400, "We could not parse the JSON body of your request: " + detail
                + ". The body must be a JSON object.", INVALID_REQUEST, null, "invalid_json", 0);
    }

    /** 404 for a model no live node serves (or that cannot do what was asked). */
    public static ApiError modelNotFound(String model) {
        return new ApiError(404, "The model '" + model + "' does not exist or is not served by any node for this"
                + " endpoint. GET /v1/models lists the models the mesh serves now.",
                INVALID_REQUEST, "model", "model_not_found", 0);
    }

    /** 413 for a body over the configured limit. */
    public static ApiError bodyTooLarge(long limitBytes) {
        return new ApiError(413, "The request body is larger than this server accepts (" + limitBytes
                + " bytes). Send a smaller request.", INVALID_REQUEST, null, "request_too_large", 0);
    }

    /** 404 for a path the API does not have. */
    public static ApiError unknownPath(String method, String path) {
        return new ApiError(404, "Unknown request URL: " + method + " " + path + ".",
                INVALID_REQUEST, null, "unknown_url", 0);
    }

    /** 405 for a known path called with the wrong method. */
    public static ApiError methodNotAllowed(String method, String path) {
        return new ApiError(405, "Method " + method + " is not allowed for " + path + ".",
                INVALID_REQUEST, null, "method_not_allowed", 0);
    }

    /** 500 for a bug; the message never carries internals. */
    public static ApiError internal(String requestId) {
        return new ApiError(500, "The server had an error while processing your request (request id "
                + requestId + "). The operator can find it in the logs.", SERVER_ERROR, null, null, 0);
    }

    /** Throws this error; for use where the HTTP layer's error mapper will render it. */
    public ApiException toException() {
        return new ApiException(this);
    }
}
