package io.lattice.cli;

/** A problem the user can fix (bad flag, missing file); printed as one line, exit code 2. */
final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserError(String message) {
        super(message, null, false, false);
    }
}
