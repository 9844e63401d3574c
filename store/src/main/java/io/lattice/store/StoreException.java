package io.lattice.store;

/**
 * A store operation failed in the database: it could not be opened, migrated, read or written.
 * The message names the store and the operation; the cause is the driver's exception.
 */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
