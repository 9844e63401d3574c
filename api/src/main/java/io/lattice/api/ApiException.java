package io.lattice.api;

import java.util.Objects;

/**
 * Carries an {@link ApiError} from deep in request handling to the one error mapper of the HTTP
 * server, which renders it as OpenAI error JSON. Not for bugs: those stay ordinary exceptions and
 * become a 500.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ApiError error;

    public ApiException(ApiError error) {
        super(Objects.requireNonNull(error, "error").message(), null, false, false);
        this.error = error;
    }

    public ApiError error() {
        return error;
    }
}
