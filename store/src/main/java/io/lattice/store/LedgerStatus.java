package io.lattice.store;

import java.util.Locale;

/** How a ledgered request ended. Stored as its lower-case name ({@code completed}, …). */
public enum LedgerStatus {
    /** The response was delivered in full. */
    COMPLETED,
    /** The request failed after it was placed (the node or every failover target failed). */
    FAILED,
    /** The client went away or cancelled while the request ran (for example a dropped stream). */
    CANCELLED;

    /** The stored form: the name in lower case. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The status stored as {@code code}.
     *
     * @throws IllegalArgumentException when {@code code} names no status
     */
    public static LedgerStatus fromCode(String code) {
        for (LedgerStatus s : values()) {
            if (s.code().equals(code)) {
                return s;
            }
        }
        throw new IllegalArgumentException("ledger status must be one of completed, failed, cancelled but was '"
                + code + "'");
    }
}
