package io.lattice.node;

/**
 * A cumulative energy reading: joules since an arbitrary origin (the counter's creation), growing
 * with the energy the metered hardware uses. The energy between two moments is the difference of
 * two readings. Implementations are thread-safe and never throw: a source that stops answering
 * stops growing, and says so in the log.
 */
interface EnergyCounter {

    /** Energy since this counter's origin, J; never less than the previous reading. */
    double joules();
}
