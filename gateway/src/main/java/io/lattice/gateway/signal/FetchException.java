package io.lattice.gateway.signal;

/**
 * A poll of a provider failed: transport error, timeout, non-2xx status, or a body that is not the
 * documented shape. The message is safe to show and log (no key); it carries no stack trace of its own
 * because the message says all an operator can act on.
 */
final class FetchException extends Exception {
    private static final long serialVersionUID = 1L;

    FetchException(String message) {
        super(message, null, false, false);
    }
}
