package io.lattice.engine;

/** An engine failed for a reason that is not the request's fault (a crash, an unreachable server). */
public final class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
