package io.lattice.store;

/**
 * Run in a child JVM by {@link StoreTest}: appends N entries synchronously, says so, then halts the
 * JVM without closing anything, as {@code kill -9} or a power cut would leave things.
 */
public final class CrashingWriter {

    static final int HALT_STATUS = 42;

    private CrashingWriter() {
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[1]);
        Store store = Store.open("sqlite:" + args[0]);
        for (int i = 0; i < n; i++) {
            store.ledger().append(Entries.simple("r" + i, "acme", i));
        }
        System.out.println("committed " + n);
        System.out.flush();
        Runtime.getRuntime().halt(HALT_STATUS);
    }
}
