package io.lattice.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Learning J per prompt and output token on synthetic requests whose true figures are known. */
class TokenEnergyTest {

    private static final long MS = 1_000_000L;

    /** A request of {@code p} prompt and {@code o} output tokens on a machine with the given true figures. */
    private static TokenEnergy.Sample request(int p, int o, double a, double b, double noise, SplittableRandom random) {
        double joules = (a * p + b * o) * (1 + noise * (2 * random.nextDouble() - 1));
        return new TokenEnergy.Sample(p, o, joules, p * MS / 2, o * 20 * MS);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 2026})
    void leastSquares_recoversKnownFigures_fromVariedNoisyRequests(long seed) {
        double a = 0.02;  // J per prompt token
        double b = 0.35;  // J per output token
        SplittableRandom random = new SplittableRandom(seed);
        TokenEnergy learner = new TokenEnergy(TokenEnergy.DEFAULT_WINDOW);
        for (int i = 0; i < 200; i++) {
            learner.record(request(random.nextInt(10, 2000), random.nextInt(1, 300), a, b, 0.05, random));
        }
        TokenEnergy.Fit fit = learner.fit().orElseThrow();
        assertThat(fit.method()).isEqualTo(TokenEnergy.Method.LEAST_SQUARES);
        assertThat(fit.samples()).isEqualTo(TokenEnergy.DEFAULT_WINDOW);
        assertThat(fit.joulesPerPromptToken()).isCloseTo(a, within(a * 0.10));
        assertThat(fit.joulesPerOutputToken()).isCloseTo(b, within(b * 0.05));
    }

    @Test
    void leastSquares_withoutNoise_isExact() {
        TokenEnergy learner = new TokenEnergy(16);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 16; i++) {
            learner.record(request(random.nextInt(1, 500), random.nextInt(1, 100), 0.01, 0.5, 0, random));
        }
        TokenEnergy.Fit fit = learner.fit().orElseThrow();
        assertThat(fit.joulesPerPromptToken()).isCloseTo(0.01, within(1e-9));
        assertThat(fit.joulesPerOutputToken()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void requestsAllOfOneShape_fallBackToTheTimeSplit_whichIsExactAtConstantDraw() {
        // every request: 100 prompt tokens at 2000 tokens/s, 50 output tokens at 25 tokens/s, 60 W above idle
        TokenEnergy learner = new TokenEnergy(TokenEnergy.DEFAULT_WINDOW);
        long prefill = 50 * MS;
        long decode = 2000 * MS;
        double watts = 60;
        for (int i = 0; i < 10; i++) {
            learner.record(new TokenEnergy.Sample(100, 50, watts * (prefill + decode) / 1e9, prefill, decode));
        }
        TokenEnergy.Fit fit = learner.fit().orElseThrow();
        assertThat(fit.method()).isEqualTo(TokenEnergy.Method.TIME_SPLIT);
        // a = 60 W × 0.05 s / 100 tokens, b = 60 W × 2 s / 50 tokens
        assertThat(fit.joulesPerPromptToken()).isCloseTo(0.03, within(1e-9));
        assertThat(fit.joulesPerOutputToken()).isCloseTo(2.4, within(1e-9));
        assertThat(fit.prefillTokensPerSecond()).isCloseTo(2000.0, within(1e-6));
        // 49 tokens after the first in 2 s
        assertThat(fit.decodeTokensPerSecond()).isCloseTo(24.5, within(1e-6));
    }

    @Test
    void fewerThanThreeRequests_useTheTimeSplit() {
        TokenEnergy learner = new TokenEnergy(8);
        learner.record(new TokenEnergy.Sample(10, 10, 3.0, 100 * MS, 200 * MS));
        TokenEnergy.Fit fit = learner.fit().orElseThrow();
        assertThat(fit.method()).isEqualTo(TokenEnergy.Method.TIME_SPLIT);
        assertThat(fit.joulesPerPromptToken()).isCloseTo(0.1, within(1e-9));
        assertThat(fit.joulesPerOutputToken()).isCloseTo(0.2, within(1e-9));
        assertThat(fit.samples()).isEqualTo(1);
    }

    @Test
    void embeddingRequests_learnPromptTokensOnly() {
        TokenEnergy learner = new TokenEnergy(8);
        learner.record(new TokenEnergy.Sample(100, 0, 0.5, 10 * MS, 0));
        learner.record(new TokenEnergy.Sample(300, 0, 1.5, 30 * MS, 0));
        TokenEnergy.Fit fit = learner.fit().orElseThrow();
        assertThat(fit.method()).isEqualTo(TokenEnergy.Method.PROMPT_ONLY);
        assertThat(fit.joulesPerPromptToken()).isCloseTo(0.005, within(1e-12));
        assertThat(fit.joulesPerOutputToken()).isZero();
        assertThat(fit.prefillTokensPerSecond()).isCloseTo(10_000.0, within(1e-6));
        assertThat(fit.decodeTokensPerSecond()).isZero();
    }

    @Test
    void window_forgetsOldRequests_soFiguresFollowAChange() {
        SplittableRandom random = new SplittableRandom(11);
        TokenEnergy learner = new TokenEnergy(32);
        for (int i = 0; i < 32; i++) {
            learner.record(request(random.nextInt(10, 1000), random.nextInt(1, 200), 0.02, 0.3, 0, random));
        }
        // the node is power-capped: everything costs twice as much
        for (int i = 0; i < 32; i++) {
            learner.record(request(random.nextInt(10, 1000), random.nextInt(1, 200), 0.04, 0.6, 0, random));
        }
        TokenEnergy.Fit fit = learner.fit().orElseThrow();
        assertThat(fit.joulesPerPromptToken()).isCloseTo(0.04, within(1e-9));
        assertThat(fit.joulesPerOutputToken()).isCloseTo(0.6, within(1e-9));
    }

    @Test
    void nothingLearned_isEmpty_andEmptyOrInvalidRequestsAreIgnored() {
        TokenEnergy learner = new TokenEnergy(8);
        assertThat(learner.fit()).isEmpty();
        learner.record(new TokenEnergy.Sample(0, 0, 1.0, MS, MS));
        learner.record(new TokenEnergy.Sample(5, 5, Double.NaN, MS, MS));
        learner.record(new TokenEnergy.Sample(5, 5, -1, MS, MS));
        assertThat(learner.fit()).isEmpty();
    }
}
