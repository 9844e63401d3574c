package io.lattice.node;

import io.lattice.api.ApiError;
import io.lattice.api.ApiException;
import io.lattice.core.ServedModel;
import io.lattice.engine.EngineException;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * The errors only a node produces: its engine failed. Messages carry the request id, never the
 * cause (which may name files, URLs or upstream text); the cause goes to the node's log.
 */
final class EngineErrors {

    private static final System.Logger LOG = System.getLogger(EngineErrors.class.getName());

    private EngineErrors() {
    }

    /** For {@link io.lattice.http.OpenAiErrors}: an engine failure that reached the error routing. */
    static Optional<ApiError> asApiError(Throwable failure, String requestId) {
        if (failure instanceof EngineException e) {
            LOG.log(Level.WARNING, "request " + requestId + ": engine failed: " + e.getMessage(), e);
            return Optional.of(new ApiError(500, "The model failed while answering (request id " + requestId
                    + "). The operator can find the cause in the node's logs.", ApiError.SERVER_ERROR, null,
                    "engine_error", 0));
        }
        return Optional.empty();
    }

    /**
     * The error for an engine that failed while serving {@code model}: 502 when the engine is a remote
     * server (the fault is upstream of this node), 500 when it runs here.
     */
    static ApiException engineFailed(ServedModel model, EngineException e, String requestId) {
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
}
