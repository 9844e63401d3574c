package io.lattice.node;

import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Learns one model's energy per prompt token and per output token, and its prefill and decode
 * speeds, from the requests it ran: the most recent {@code window} of them (64 by default), so the
 * figures follow a change of load, clock speed or power limit within a few dozen requests.
 *
 * <p>Design note (the fit). Each request gives its energy {@code E} (J, from
 * {@link EnergyAttribution}), its prompt and output token counts {@code p} and {@code o}, and its
 * prefill and decode times (from the engine call to the first generated text, and from there to the
 * end). The model is {@code E ≈ a·p + b·o}.
 * <ol>
 *   <li>Least squares over the window: the 2×2 normal equations
 *       {@code [Σp² Σpo; Σpo Σo²]·[a b]ᵀ = [ΣpE ΣoE]ᵀ}, solved directly. Used when there are at least
 *       {@link #MIN_FIT_SAMPLES} requests, the answer is not negative, and the window's requests are
 *       varied enough: {@code 1 − (Σpo)²/(Σp²·Σo²) ≥} {@link #MIN_SPREAD} (the squared sine of the
 *       angle between the prompt and output count vectors; when every request has the same
 *       prompt-to-output ratio, a and b cannot be told apart from energy alone, and noise is
 *       amplified about 1/sine times).</li>
 *   <li>Otherwise, a time split: each request's energy is divided between prefill and decode in
 *       proportion to their times (that is, assuming the draw is constant during a request), then
 *       {@code a = Σ E·t_prefill/t / Σp} and {@code b = Σ E·t_decode/t / Σo}. Always defined from the
 *       first request, but biased where prefill draws more power per second than decode (it is
 *       compute-bound, decode memory-bound), which the least-squares fit does not assume.</li>
 *   <li>Embedding models have no output tokens: {@code a = ΣpE / Σp²} (least squares through the
 *       origin), {@code b = 0}.</li>
 * </ol>
 * Speeds are ratios of sums over the window: prefill tokens/s {@code = Σp / Σt_prefill}; decode
 * tokens/s {@code = Σ(o − 1) / Σt_decode} (the first output token comes with prefill). The first
 * token's time includes one decode step, so prefill speed is slightly conservative.
 *
 * <p>Thread-safe: methods synchronise; a fit is O(window).
 */
final class TokenEnergy {

    /** Requests kept by default. */
    static final int DEFAULT_WINDOW = 64;
    /** Fewest requests for the least-squares fit. */
    static final int MIN_FIT_SAMPLES = 3;
    /** Least spread (squared sine between prompt and output counts) for the least-squares fit. */
    static final double MIN_SPREAD = 0.05;

    /**
     * One finished request.
     *
     * @param promptTokens prompt tokens read
     * @param outputTokens tokens generated (0 for embeddings)
     * @param joules       energy charged to it, J
     * @param prefillNanos from the engine call to the first generated text (the whole call when none came)
     * @param decodeNanos  from the first generated text to the end
     */
    record Sample(int promptTokens, int outputTokens, double joules, long prefillNanos, long decodeNanos) {
    }

    /** How the last fit was made. */
    enum Method { LEAST_SQUARES, TIME_SPLIT, PROMPT_ONLY }

    /**
     * What the window says.
     *
     * @param joulesPerPromptToken   J per prompt token
     * @param joulesPerOutputToken   J per output token
     * @param prefillTokensPerSecond prompt tokens per second of prefill; 0 when unmeasured
     * @param decodeTokensPerSecond  output tokens per second of decode; 0 when unmeasured
     * @param samples                requests in the window
     * @param method                 how {@code a} and {@code b} were found
     */
    record Fit(double joulesPerPromptToken, double joulesPerOutputToken, double prefillTokensPerSecond,
               double decodeTokensPerSecond, int samples, Method method) {
    }

    private final int window;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    TokenEnergy(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1 request but was " + window);
        }
        this.window = window;
    }

    /** Adds a finished request; one that read and wrote nothing, or has no valid energy, is ignored. */
    synchronized void record(Sample s) {
        if (s.promptTokens() + s.outputTokens() <= 0 || s.promptTokens() < 0 || s.outputTokens() < 0
                || !(s.joules() >= 0) || !Double.isFinite(s.joules()) || s.prefillNanos() < 0 || s.decodeNanos() < 0) {
            return;
        }
        samples.addLast(s);
        while (samples.size() > window) {
            samples.removeFirst();
        }
    }

    /** The figures over the window, or empty before the first request. */
    synchronized Optional<Fit> fit() {
        if (samples.isEmpty()) {
            return Optional.empty();
        }
        double pp = 0, po = 0, oo = 0, pe = 0, oe = 0;
        double prompt = 0, output = 0, decoded = 0;
        double prefillJoules = 0, decodeJoules = 0;
        long prefillNanos = 0, decodeNanos = 0;
        for (Sample s : samples) {
            double p = s.promptTokens();
            double o = s.outputTokens();
            double e = s.joules();
            pp += p * p;
            po += p * o;
            oo += o * o;
            pe += p * e;
            oe += o * e;
            prompt += p;
            output += o;
            long took = s.prefillNanos() + s.decodeNanos();
            if (took > 0) {
                prefillJoules += e * s.prefillNanos() / took;
                decodeJoules += e * s.decodeNanos() / took;
            } else {
                // no time measured: charge by token share, the only information there is
                prefillJoules += e * p / (p + o);
                decodeJoules += e * o / (p + o);
            }
            prefillNanos += s.prefillNanos();
            if (s.outputTokens() > 1 && s.decodeNanos() > 0) {
                decoded += s.outputTokens() - 1;
                decodeNanos += s.decodeNanos();
            }
        }
        double prefillRate = prefillNanos > 0 ? prompt / (prefillNanos / 1e9) : 0;
        double decodeRate = decodeNanos > 0 ? decoded / (decodeNanos / 1e9) : 0;
        int n = samples.size();
        if (output == 0) {
            return Optional.of(new Fit(pp > 0 ? pe / pp : 0, 0, prefillRate, 0, n, Method.PROMPT_ONLY));
        }
        double det = pp * oo - po * po;
        if (n >= MIN_FIT_SAMPLES && pp > 0 && det >= MIN_SPREAD * pp * oo) {
            double a = (oo * pe - po * oe) / det;
            double b = (pp * oe - po * pe) / det;
            if (a >= 0 && b >= 0 && Double.isFinite(a) && Double.isFinite(b)) {
                return Optional.of(new Fit(a, b, prefillRate, decodeRate, n, Method.LEAST_SQUARES));
            }
        }
        double a = prompt > 0 ? prefillJoules / prompt : 0;
        // output > 0 here; a request whose energy went all to prefill leaves b at 0, not negative
        double b = decodeJoules / output;
        return Optional.of(new Fit(a, b, prefillRate, decodeRate, n, Method.TIME_SPLIT));
    }
}
