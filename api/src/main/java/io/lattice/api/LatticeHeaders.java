package io.lattice.api;

/** Lattice's own HTTP headers, on responses to clients and between gateway and node. */
public final class LatticeHeaders {
    /** The node that served the request. */
    public static final String NODE = "x-lattice-node";
    /** The site of that node. */
    public static final String SITE = "x-lattice-site";
    /** Carried from client to gateway to node and into logs. */
    public static final String REQUEST_ID = "x-request-id";

    private LatticeHeaders() {
    }
}
