package io.lattice.core.energy;

/**
 * How long a request is expected to take on one node, from the gateway's point of view. All figures
 * in ms.
 *
 * @param rttMs                network round trip to the node
 * @param queueWaitMs          wait behind the work already on the node ({@link QueueState#waitMs()})
 * @param prefillMs            prompt tokens / prefill rate
 * @param ttftMs               time to first token: RTT + queue wait + prefill
 * @param timePerOutputTokenMs time between output tokens: 1000 / decode rate
 * @param decodeMs             output tokens / decode rate
 * @param totalMs              time to the last token: TTFT + decode
 */
public record LatencyEstimate(
        double rttMs,
        double queueWaitMs,
        double prefillMs,
        double ttftMs,
        double timePerOutputTokenMs,
        double decodeMs,
        double totalMs) {
}
