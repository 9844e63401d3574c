package io.lattice.core.energy;

/**
 * How much energy and time one node spends on one model, per token. Learned on the node from its
 * power meter (moving averages over recent requests) and reported in telemetry; {@link #PRIOR} stands
 * in until something is learned.
 *
 * <h2>The prior, and why</h2>
 * <ul>
 *   <li><b>1.1 J per output token.</b> ML.ENERGY measures about 0.46 J per output token on the GPU alone
 *       for Llama-3.1-8B on one H100 at batch 8 (vLLM); whole-system energy is about 2.4× the
 *       accelerator figure (Google, 2025): 0.46 × 2.4 ≈ 1.1 J. Edge nodes run smaller quantized
 *       models (cheaper per token) at small batches on less efficient hardware (dearer per token);
 *       we take the two as cancelling, which is an assumption to be replaced by measurement.</li>
 *   <li><b>0.22 J per prompt token</b>, one fifth of the output figure. Prefill processes the whole
 *       prompt as one compute-bound batch while decode reads every weight once per token, so a
 *       prompt token costs several times less than an output token; one fifth is our assumption.</li>
 *   <li><b>1,000 prompt tokens/s prefill, 30 output tokens/s decode</b>: a mid-range edge GPU running a
 *       quantized 7–8B model at batch 1, an assumption within a factor of about three of CPU-only
 *       nodes (slower) and datacentre GPUs (faster).</li>
 * </ul>
 * A prior that flatters unmeasured nodes would pull traffic onto them; one that slanders them would
 * starve them of the traffic that measures them. These middle-of-the-road figures do neither badly,
 * and {@link #measured()} is false so every figure derived from them is reported as estimated.
 *
 * @param joulesPerPromptToken   IT energy per prompt token in J, ≥ 0
 * @param joulesPerOutputToken   IT energy per output token in J, ≥ 0
 * @param prefillTokensPerSecond prompt tokens processed per second by one request, &gt; 0
 * @param decodeTokensPerSecond  output tokens generated per second by one request, &gt; 0
 * @param measured               true when learned from this node's meter, false for a prior or a model
 */
public record EnergyProfile(
        double joulesPerPromptToken,
        double joulesPerOutputToken,
        double prefillTokensPerSecond,
        double decodeTokensPerSecond,
        boolean measured) {

    /** What is assumed for a (node, model) pair with nothing learned yet; see the class note. */
    public static final EnergyProfile PRIOR = new EnergyProfile(0.22, 1.1, 1000, 30, false);

    public EnergyProfile {
        Checks.atLeast("EnergyProfile", "joulesPerPromptToken", joulesPerPromptToken, 0, "energy cannot be negative");
        Checks.atLeast("EnergyProfile", "joulesPerOutputToken", joulesPerOutputToken, 0, "energy cannot be negative");
        Checks.positive("EnergyProfile", "prefillTokensPerSecond", prefillTokensPerSecond,
                "a node that cannot prefill cannot serve");
        Checks.positive("EnergyProfile", "decodeTokensPerSecond", decodeTokensPerSecond,
                "a node that cannot decode cannot serve");
    }

    /** IT energy in J for a request of the given size. */
    public double energyJ(int promptTokens, int outputTokens) {
        return joulesPerPromptToken * promptTokens + joulesPerOutputToken * outputTokens;
    }

    /** Time in ms to prefill {@code promptTokens}. */
    public double prefillMs(int promptTokens) {
        return promptTokens * 1000.0 / prefillTokensPerSecond;
    }

    /** Time in ms to decode {@code outputTokens}. */
    public double decodeMs(int outputTokens) {
        return outputTokens * 1000.0 / decodeTokensPerSecond;
    }

    /** Time in ms between two output tokens while decoding. */
    public double timePerOutputTokenMs() {
        return 1000.0 / decodeTokensPerSecond;
    }

    /** Time in ms the node is busy with a request of the given size: prefill plus decode. */
    public double serviceMs(int promptTokens, int outputTokens) {
        return prefillMs(promptTokens) + decodeMs(outputTokens);
    }
}
