package io.lattice.core;

import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Interactive work waiting to be placed.
 *
 * <p>The three-argument constructor keeps the walking skeleton's call sites working: it assumes a
 * typical request size ({@link #TYPICAL_PROMPT_TOKENS}, {@link #TYPICAL_OUTPUT_TOKENS}), no latency
 * objective and no jurisdiction constraint. Energy-aware policies read the other components; the
 * {@code with...} methods derive a request that carries them.
 *
 * @param model                the model the client asked for
 * @param capability           the endpoint it came in on
 * @param streamed             whether the client wants the answer streamed
 * @param expectedPromptTokens tokens the prompt is expected to hold, ≥ 0 (the gateway's count or
 *                             estimate of the input)
 * @param expectedOutputTokens tokens the answer is expected to hold, ≥ 0 (for example {@code max_tokens}
 *                             capped by a typical length; 0 for embeddings)
 * @param objective            the latency the client was promised; {@link LatencyObjective#NONE} when none
 * @param allowedJurisdictions where the work may run: ISO 3166-1 alpha-2 country codes ({@code FR}, which
 *                             allows every region of France) or ISO 3166-2 subdivision codes
 *                             ({@code FR-BRE}, which allows only that region); stored upper-case; empty
 *                             means anywhere
 */
public record WorkRequest(
        String model,
        ModelCapability capability,
        boolean streamed,
        int expectedPromptTokens,
        int expectedOutputTokens,
        LatencyObjective objective,
        Set<String> allowedJurisdictions) {

    /**
     * Prompt tokens assumed when the caller says nothing: the median context length of the Azure LLM
     * inference trace 2023, conversation service (1,020 tokens over 19,366 requests).
     */
    public static final int TYPICAL_PROMPT_TOKENS = 1020;

    /** Output tokens assumed when the caller says nothing: the median generated length of the same trace. */
    public static final int TYPICAL_OUTPUT_TOKENS = 129;

    /** Same grammar as {@code io.lattice.core.energy.Jurisdiction#parse}: {@code CC} or {@code CC-SSS}. */
    private static final Pattern JURISDICTION_CODE = Pattern.compile("[A-Z]{2}(-[A-Z0-9]{1,3})?");

    public WorkRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(capability, "capability");
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(allowedJurisdictions, "allowedJurisdictions");
        if (expectedPromptTokens < 0) {
            throw new IllegalArgumentException("expectedPromptTokens must be >= 0 but was " + expectedPromptTokens);
        }
        if (expectedOutputTokens < 0) {
            throw new IllegalArgumentException("expectedOutputTokens must be >= 0 but was " + expectedOutputTokens);
        }
        Set<String> codes = new HashSet<>();
        for (String code : allowedJurisdictions) {
            Objects.requireNonNull(code, "allowedJurisdictions element");
            String upper = code.strip().toUpperCase(Locale.ROOT);
            if (!JURISDICTION_CODE.matcher(upper).matches()) {
                throw new IllegalArgumentException("allowedJurisdictions must hold ISO 3166 codes such as FR or FR-BRE"
                        + " but held '" + code + "'");
            }
            codes.add(upper);
        }
        allowedJurisdictions = Set.copyOf(codes);
    }

    /** A request of typical size with no latency objective and no jurisdiction constraint. */
    public WorkRequest(String model, ModelCapability capability, boolean streamed) {
        this(model, capability, streamed, TYPICAL_PROMPT_TOKENS,
                capability == ModelCapability.EMBEDDINGS ? 0 : TYPICAL_OUTPUT_TOKENS,
                LatencyObjective.NONE, Set.of());
    }

    /** This request with the given expected token counts. */
    public WorkRequest withExpectedTokens(int promptTokens, int outputTokens) {
        return new WorkRequest(model, capability, streamed, promptTokens, outputTokens, objective,
                allowedJurisdictions);
    }

    /** This request with the given latency objective. */
    public WorkRequest withObjective(LatencyObjective newObjective) {
        return new WorkRequest(model, capability, streamed, expectedPromptTokens, expectedOutputTokens,
                newObjective, allowedJurisdictions);
    }

    /** This request restricted to the given jurisdiction codes (empty: anywhere). */
    public WorkRequest withAllowedJurisdictions(Set<String> codes) {
        return new WorkRequest(model, capability, streamed, expectedPromptTokens, expectedOutputTokens, objective,
                codes);
    }

    /**
     * The latency a request was promised. Either bound may be {@link Double#POSITIVE_INFINITY}, which
     * means "no bound".
     *
     * @param ttftMs               the most time to first token, in ms, from the gateway's point of view
     *                             (network round trip, queue wait and prefill included); &gt; 0
     * @param timePerOutputTokenMs the most time per output token once decoding runs, in ms; &gt; 0
     */
    public record LatencyObjective(double ttftMs, double timePerOutputTokenMs) {

        /** No latency promise. */
        public static final LatencyObjective NONE =
                new LatencyObjective(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);

        public LatencyObjective {
            if (!(ttftMs > 0)) {
                throw new IllegalArgumentException("LatencyObjective.ttftMs must be > 0 ms but was " + ttftMs);
            }
            if (!(timePerOutputTokenMs > 0)) {
                throw new IllegalArgumentException("LatencyObjective.timePerOutputTokenMs must be > 0 ms but was "
                        + timePerOutputTokenMs);
            }
        }

        /** An objective on time to first token only. */
        public static LatencyObjective ttft(double ttftMs) {
            return new LatencyObjective(ttftMs, Double.POSITIVE_INFINITY);
        }

        /** Whether either bound is finite. */
        public boolean isBounded() {
            return Double.isFinite(ttftMs) || Double.isFinite(timePerOutputTokenMs);
        }
    }
}
