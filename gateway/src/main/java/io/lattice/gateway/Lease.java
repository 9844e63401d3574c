package io.lattice.gateway;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The permit for one request placed on one node: while it is open the node's gateway in-flight
 * count includes the request. Closing releases it; only the first close counts, so a relay may close
 * it from a {@code finally} block and from an error path without ever driving the count below the
 * truth (the flaw concurrency-limits' listeners have).
 *
 * <p>Thread-safe.
 */
final class Lease implements AutoCloseable {

    private final NodeEntry node;
    private final AtomicBoolean open = new AtomicBoolean(true);

    Lease(NodeEntry node) {
        this.node = node;
    }

    NodeEntry node() {
        return node;
    }

    /** Releases the permit; idempotent. */
    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            node.release();
        }
    }
}
