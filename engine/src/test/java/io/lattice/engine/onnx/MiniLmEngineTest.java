package io.lattice.engine.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lattice.api.ApiException;
import io.lattice.api.ChatMessage;
import io.lattice.api.ChatRequest;
import io.lattice.api.CompletionRequest;
import io.lattice.api.EmbeddingRequest;
import io.lattice.api.Embeddings;
import io.lattice.api.OpenAiResponses;
import io.lattice.api.Sampling;
import io.lattice.core.ModelCapability;
import io.lattice.engine.EngineException;
import io.lattice.engine.Engines;
import io.lattice.engine.InferenceEngine;
import io.lattice.engine.ModelSpec;
import io.lattice.engine.TokenListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The bundled MiniLM model, loaded for real through {@link Engines#open}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MiniLmEngineTest {

    private InferenceEngine engine;

    @BeforeAll
    void open() {
        engine = Engines.open(new ModelSpec.BundledMiniLm(ModelSpec.BundledMiniLm.DEFAULT_ID));
    }

    @AfterAll
    void close() {
        engine.close();
    }

    @Test
    void embed_placesAParaphraseCloserThanUnrelatedText() {
        List<float[]> v = embed("a cat sits on the mat", "a kitten rests on a rug", "quarterly earnings rose").vectors();

        double paraphrase = dot(v.get(0), v.get(1));
        double unrelated = dot(v.get(0), v.get(2));
        assertThat(paraphrase).isGreaterThan(unrelated + 0.3);
    }

    @Test
    void embed_returnsUnitVectorsOf384Dimensions() {
        for (float[] v : embed("hello world", "Héllo, Wörld!", "北京", "x").vectors()) {
            assertThat(v).hasSize(384);
            assertThat(Math.sqrt(dot(v, v))).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void embed_givesEachInputOfARequestTheVectorItHasAlone() {
        // more inputs than threads, of mixed lengths, so inputs run side by side in every arrangement
        List<String> inputs = sentences(40, new Random(7));
        List<float[]> together = embed(inputs.toArray(String[]::new)).vectors();

        for (int i = 0; i < inputs.size(); i++) {
            float[] alone = embed(inputs.get(i)).vectors().getFirst();
            assertThat(together.get(i)).as("input %d: %s", i, inputs.get(i)).containsExactly(alone, within(1e-5f));
        }
    }

    @Test
    void embed_givesTheSameVectorsWhenManyThreadsCallAtOnce() throws Exception {
        List<String> inputs = sentences(12, new Random(11));
        List<float[]> expected = embed(inputs.toArray(String[]::new)).vectors();
        try (ExecutorService callers = Executors.newFixedThreadPool(6)) {
            List<Future<Embeddings>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                results.add(callers.submit(() -> embed(inputs.toArray(String[]::new))));
            }
            for (Future<Embeddings> r : results) {
                List<float[]> got = r.get().vectors();
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(got.get(i)).containsExactly(expected.get(i), within(1e-6f));
                }
            }
        }
    }

    @Test
    void embed_countsPromptTokensWithClsAndSep() {
        // [CLS] hello world [SEP] + [CLS] una ##ffa ##ble [SEP]
        assertThat(embed("hello world", "unaffable").promptTokens()).isEqualTo(9);
    }

    @Test
    void embed_truncatesOverlongInputAt256Tokens() {
        String longText = "the cat sat on the mat and ".repeat(100);
        String longerText = longText + "quarterly earnings rose sharply ".repeat(50);

        Embeddings e = embed(longText, longerText);

        assertThat(e.promptTokens()).isEqualTo(2 * 256);
        // everything past token 254 is cut, so the added tail changes nothing
        assertThat(e.vectors().get(1)).containsExactly(e.vectors().get(0));
        assertThat(Math.sqrt(dot(e.vectors().get(0), e.vectors().get(0)))).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void embed_ofNoInputsIsEmpty() {
        Embeddings e = engine.embed(new EmbeddingRequest("m", List.of(), EmbeddingRequest.EncodingFormat.FLOAT));
        assertThat(e.vectors()).isEmpty();
        assertThat(e.promptTokens()).isZero();
    }

    @Test
    void embed_vectorsSurviveTheBase64WireEncodingBitForBit() {
        float[] v = embed("energy-aware inference on a farm").vectors().getFirst();
        assertThat(OpenAiResponses.fromBase64(OpenAiResponses.base64(v))).containsExactly(v);
    }

    @Test
    void model_servesEmbeddingsOnlyAsOnnx() {
        assertThat(engine.model().id()).isEqualTo("all-minilm-l6-v2");
        assertThat(engine.model().capabilities()).containsExactly(ModelCapability.EMBEDDINGS);
        assertThat(engine.model().format()).isEqualTo("onnx");
    }

    @Test
    void chatAndComplete_areRefusedWith400NamingTheModel() {
        ChatRequest chat = new ChatRequest("all-minilm-l6-v2", List.of(new ChatMessage("user", "hi")),
                Sampling.defaults(), false, false);
        CompletionRequest completion = new CompletionRequest("all-minilm-l6-v2", "hi", Sampling.defaults(), false,
                false);

        assertThatThrownBy(() -> engine.chat(chat, TokenListener.NONE))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(400);
                    assertThat(e.error().param()).isEqualTo("model");
                    assertThat(e.getMessage()).contains("'all-minilm-l6-v2'", "only computes embeddings",
                            "/v1/chat/completions");
                });
        assertThatThrownBy(() -> engine.complete(completion, TokenListener.NONE))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("/v1/completions");
                });
    }

    @Test
    void close_isIdempotentAndLaterCallsFailClearly() {
        InferenceEngine second = OnnxEngines.openBundledMiniLm(new ModelSpec.BundledMiniLm("second"), 1);
        assertThat(second.embed(request("before close")).vectors()).hasSize(1);

        second.close();
        second.close();

        assertThatThrownBy(() -> second.embed(request("after close")))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("second")
                .hasMessageContaining("closed");
    }

    @Test
    void open_refusesNegativeParallelism() {
        assertThatThrownBy(() -> OnnxEngines.openBundledMiniLm(new ModelSpec.BundledMiniLm("m"), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parallelism")
                .hasMessageContaining("-1");
    }

    private Embeddings embed(String... inputs) {
        return engine.embed(new EmbeddingRequest("all-minilm-l6-v2", List.of(inputs),
                EmbeddingRequest.EncodingFormat.FLOAT));
    }

    private static EmbeddingRequest request(String input) {
        return new EmbeddingRequest("m", List.of(input), EmbeddingRequest.EncodingFormat.FLOAT);
    }

    private static List<String> sentences(int count, Random random) {
        String[] words = {"solar", "grid", "greenhouse", "heat", "node", "the", "quietly", "routes", "a", "request",
            "to", "cheap", "clean", "power", "at", "noon", "über", "café", "北京", "!"};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder s = new StringBuilder();
            int n = 1 + random.nextInt(60);
            for (int w = 0; w < n; w++) {
                s.append(words[random.nextInt(words.length)]).append(' ');
            }
            out.add(s.toString().strip());
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
