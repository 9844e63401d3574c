package io.lattice.core.energy;

import io.lattice.core.Candidate;
import io.lattice.core.NodeTelemetry;
import io.lattice.core.WorkRequest;

/**
 * How much work is ahead of a new request on a node.
 *
 * <p>Model: while a slot is free ({@code depth < parallelism}) the new request starts at once;
 * otherwise it waits for {@code depth − parallelism + 1} requests to finish, which the node's slots
 * work off at {@code parallelism / meanServiceMs}: wait = (depth − parallelism + 1) × meanServiceMs /
 * parallelism. Requests already running are counted as if they had just started, which overstates
 * the wait by about half a service time; we accept that, since it errs towards not piling work on a
 * busy node. With one slot this is {@code depth × meanServiceMs}. Counting free slots matters: without
 * it a node serving two requests on four slots looked busy, and a policy with a latency objective
 * skipped clean sites that had room (seen in {@code lattice bench placement}).
 *
 * @param depth         requests ahead of a new one (waiting plus running), ≥ 0
 * @param meanServiceMs mean time in ms the node spends on one request, ≥ 0
 * @param parallelism   requests the node serves at once (engine slots), ≥ 1
 */
public record QueueState(int depth, double meanServiceMs, int parallelism) {

    public QueueState {
        Checks.atLeast("QueueState", "depth", depth, 0);
        Checks.atLeast("QueueState", "meanServiceMs", meanServiceMs, 0, "time cannot be negative");
        Checks.atLeast("QueueState", "parallelism", parallelism, 1);
    }

    /**
     * The queue of {@code candidate} with one engine slot: depth is the larger of the node's own count
     * (queued plus running, up to one heartbeat old) and the gateway's fresh count of its own requests
     * in flight there; the mean service time is that of a typical request
     * ({@link WorkRequest#TYPICAL_PROMPT_TOKENS}, {@link WorkRequest#TYPICAL_OUTPUT_TOKENS}) under
     * {@code profile}.
     */
    public static QueueState of(Candidate candidate, EnergyProfile profile) {
        NodeTelemetry t = candidate.telemetry();
        int depth = Math.max(t.queueDepth() + t.inFlight(), candidate.gatewayInFlight());
        return new QueueState(depth,
                profile.serviceMs(WorkRequest.TYPICAL_PROMPT_TOKENS, WorkRequest.TYPICAL_OUTPUT_TOKENS), 1);
    }

    /** Estimated time in ms a new request waits before its prefill starts. */
    public double waitMs() {
        return depth < parallelism ? 0 : (depth - parallelism + 1) * meanServiceMs / parallelism;
    }
}
