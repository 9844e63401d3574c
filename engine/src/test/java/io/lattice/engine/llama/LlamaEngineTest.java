package io.lattice.engine.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lattice.api.ApiException;
import io.lattice.api.ChatMessage;
import io.lattice.api.ChatRequest;
import io.lattice.api.CompletionRequest;
import io.lattice.api.EmbeddingRequest;
import io.lattice.api.FinishReason;
import io.lattice.api.Generation;
import io.lattice.api.Sampling;
import io.lattice.core.ModelCapability;
import io.lattice.engine.EngineException;
import io.lattice.engine.Engines;
import io.lattice.engine.InferenceEngine;
import io.lattice.engine.ModelSpec;
import io.lattice.engine.gguf.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The llama.cpp engine on a tiny random-weight model written by {@link TinyModels}: real native
 * code, real tokenizer and chat template, noise for output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class LlamaEngineTest {

    private static final int CONTEXT = 256;

    private Path dir;
    private Path modelFile;
    private LlamaEngine engine;

    @BeforeAll
    void loadTinyModel(@TempDir Path dir) throws IOException {
        this.dir = dir;
        modelFile = dir.resolve("tiny.gguf");
        TinyModels.writeRandomLlama(modelFile, 42);
        engine = (LlamaEngine) Engines.open(new ModelSpec.Gguf(TinyModels.MODEL_ID, modelFile, CONTEXT, 1));
    }

    @AfterAll
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void servesChatAndCompletions_asAGgufModel() {
        assertThat(engine.model().id()).isEqualTo(TinyModels.MODEL_ID);
        assertThat(engine.model().capabilities()).containsExactlyInAnyOrder(ModelCapability.CHAT,
                ModelCapability.COMPLETIONS);
        assertThat(engine.model().format()).isEqualTo("gguf");
    }

    @Test
    void chat_usesTheModelsOwnTemplate_andCountsTheTemplatedPrompt() {
        ChatRequest request = chat(new Sampling(4, 0.0, null, null, List.of()),
                new ChatMessage("system", "Be brief."), new ChatMessage("user", "Hello there"));

        String templated = engine.template(request);
        Generation answer = engine.chat(request, text -> { });

        assertThat(templated).isEqualTo("<|im_start|>system\nBe brief.<|im_end|>\n"
                + "<|im_start|>user\nHello there<|im_end|>\n<|im_start|>assistant\n");
        assertThat(answer.promptTokens()).isEqualTo(engine.promptTokens(templated));
        // BOS, then 3 control tokens per message and the generation prompt, then words and newlines
        assertThat(answer.promptTokens()).isGreaterThan(1 + 3 * 2 + 1);
    }

    @Test
    void promptTokens_matchWhatLlamaCppEvaluates_atTheEdgeOfTheContext() {
        String prompt = promptOfTokens(CONTEXT - 1);

        // llama.cpp refuses a prompt that fills the whole context; this one has room for one token
        Generation answer = engine.complete(completion(prompt, new Sampling(50, 1.0, null, 1L, List.of())),
                text -> { });

        assertThat(answer.promptTokens()).isEqualTo(CONTEXT - 1);
        assertThat(answer.completionTokens()).isEqualTo(1);
        assertThat(answer.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void maxTokens_isRespected_andEndsWithLength() {
        List<String> pieces = new ArrayList<>();

        Generation answer = engine.complete(completion("the energy", new Sampling(12, 0.0, null, null, List.of())),
                pieces::add);

        assertThat(answer.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(answer.completionTokens()).isEqualTo(12);
        // the tiny model babbles printable word pieces, each token one streamed piece
        assertThat(pieces).hasSize(12);
        assertThat(answer.promptTokens()).isEqualTo(1 + 2); // BOS, "▁the", "▁energy"
    }

    @Test
    void withoutMaxTokens_generatesUntilTheContextIsFull() {
        String prompt = promptOfTokens(CONTEXT - 6);

        Generation answer = engine.complete(completion(prompt, new Sampling(null, 0.0, null, null, List.of())),
                text -> { });

        assertThat(answer.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(answer.completionTokens()).isEqualTo(6);
    }

    @Test
    void sameSeed_givesTheSameText() {
        Sampling sampling = new Sampling(24, 1.0, 0.95, 1234L, List.of());

        String first = engine.complete(completion("solar power", sampling), text -> { }).text();
        String second = engine.complete(completion("solar power", sampling), text -> { }).text();

        assertThat(first).isNotBlank().isEqualTo(second);
    }

    @Test
    void differentSeeds_giveDifferentTextAtTemperatureOne() {
        List<String> texts = new ArrayList<>();
        for (long seed = 1; seed <= 4; seed++) {
            texts.add(engine.complete(completion("solar power", new Sampling(24, 1.0, null, seed, List.of())),
                    text -> { }).text());
        }

        assertThat(texts).doesNotHaveDuplicates();
    }

    @Test
    void stopString_isCutOut_andEndsWithStop_evenWhenItSpansTokens() {
        Sampling free = new Sampling(32, 1.0, null, 99L, List.of());
        List<String> freePieces = new ArrayList<>();
        String freeText = engine.complete(completion("wind and grid", free), freePieces::add).text();
        // a stop string made of the end of one generated piece and the start of the next, so it only
        // appears once two tokens have been generated; pick the first pair where that is so
        String stop = null;
        int secondPiece = -1;
        int offset = 0;
        for (int i = 0; i + 1 < freePieces.size() && stop == null; i++) {
            String a = freePieces.get(i);
            String b = freePieces.get(i + 1);
            if (a.length() >= 2 && b.length() >= 2) {
                String candidate = a.substring(a.length() - 2) + b.substring(0, 2);
                if (freeText.indexOf(candidate) == offset + a.length() - 2) {
                    stop = candidate;
                    secondPiece = i + 1;
                }
            }
            offset += a.length();
        }
        assertThat(stop).as("two neighbouring pieces of 2+ characters in %s", freePieces).isNotNull();
        String expected = freeText.substring(0, freeText.indexOf(stop));

        List<String> pieces = new ArrayList<>();
        Generation stopped = engine.complete(completion("wind and grid",
                new Sampling(32, 1.0, null, 99L, List.of("never appears", stop))), pieces::add);

        assertThat(stopped.text()).isEqualTo(expected).doesNotContain(stop);
        assertThat(String.join("", pieces)).isEqualTo(stopped.text());
        assertThat(stopped.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(stopped.completionTokens()).isEqualTo(secondPiece + 1);
    }

    @Test
    void streamedPieces_concatenateToTheText_andArriveBeforeTheCallReturns() {
        AtomicBoolean returned = new AtomicBoolean();
        List<String> pieces = new ArrayList<>();
        List<Boolean> returnedAtPiece = new ArrayList<>();

        Generation answer = engine.chat(chat(new Sampling(16, 1.0, null, 5L, List.of()),
                new ChatMessage("user", "Tell me about heat")), piece -> {
                    pieces.add(piece);
                    returnedAtPiece.add(returned.get());
                });
        returned.set(true);

        assertThat(pieces).isNotEmpty().allSatisfy(p -> assertThat(p).isNotEmpty());
        assertThat(String.join("", pieces)).isEqualTo(answer.text());
        assertThat(returnedAtPiece).containsOnly(false);
        if (answer.finishReason() == FinishReason.LENGTH) {
            assertThat(answer.completionTokens()).isEqualTo(16).isEqualTo(pieces.size());
        }
    }

    @Test
    void aListenerThatThrows_endsGeneration_andTheErrorReachesTheCaller() {
        RuntimeException clientGone = new IllegalStateException("client went away");
        List<String> seen = new ArrayList<>();

        assertThatThrownBy(() -> engine.complete(completion("the model", new Sampling(64, 1.0, null, 3L, List.of())),
                piece -> {
                    seen.add(piece);
                    if (seen.size() == 3) {
                        throw clientGone;
                    }
                })).isSameAs(clientGone);

        assertThat(seen).hasSize(3);
        // the engine is free again and serves the next request in full
        Generation next = engine.complete(completion("the model", new Sampling(8, 0.0, null, null, List.of())),
                text -> { });
        assertThat(next.completionTokens()).isEqualTo(8);
    }

    @Test
    void aModelThatEndsItsAnswer_finishesWithStop() {
        Generation ended = null;
        for (long seed = 1; seed <= 60 && ended == null; seed++) {
            Generation answer = engine.chat(chat(new Sampling(64, 1.0, null, seed, List.of()),
                    new ChatMessage("user", "Hi")), text -> { });
            if (answer.finishReason() == FinishReason.STOP) {
                ended = answer;
            }
        }

        assertThat(ended).as("some seed makes the tiny model end its answer itself").isNotNull();
        // the end token is generated and counted, but has no text
        assertThat(ended.completionTokens()).isBetween(1, 64);
    }

    @Test
    void aPromptLongerThanTheContext_isA400NamingTheField() {
        String tooLong = promptOfTokens(CONTEXT + 10);

        assertThatThrownBy(() -> engine.complete(completion(tooLong, Sampling.defaults()), text -> { }))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(400);
                    assertThat(e.error().param()).isEqualTo("prompt");
                    assertThat(e.error().message()).contains("context is " + CONTEXT + " tokens");
                });
        assertThatThrownBy(() -> engine.chat(chat(Sampling.defaults(), new ChatMessage("user", tooLong)),
                text -> { }))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(400);
                    assertThat(e.error().param()).isEqualTo("messages");
                });
        // a prompt that fills the context exactly leaves no room either
        assertThatThrownBy(() -> engine.complete(completion(promptOfTokens(CONTEXT), Sampling.defaults()),
                text -> { })).isInstanceOf(ApiException.class);
    }

    @Test
    void embeddings_areA400() {
        assertThatThrownBy(() -> engine.embed(new EmbeddingRequest(TinyModels.MODEL_ID, List.of("x"),
                EmbeddingRequest.EncodingFormat.FLOAT)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(400);
                    assertThat(e.error().message()).contains("does not do embeddings");
                });
    }

    @Test
    void concurrentRequests_areServedOneAtATime_withTheSameResultsAsInTurn() throws Exception {
        Sampling sampling = new Sampling(16, 1.0, null, 77L, List.of());
        String alone = engine.complete(completion("green heat", sampling), text -> { }).text();

        List<String> texts = new CopyOnWriteArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                futures.add(pool.submit(() -> texts.add(
                        engine.complete(completion("green heat", sampling), text -> { }).text())));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }

        assertThat(texts).containsExactly(alone, alone, alone);
    }

    @Test
    void close_isIdempotent_andAClosedEngineRefusesWork() throws IOException {
        InferenceEngine own = Engines.open(new ModelSpec.Gguf("own", modelFile, 64, 1));
        own.close();
        own.close();

        assertThatThrownBy(() -> own.complete(completion("x", Sampling.defaults()), text -> { }))
                .isInstanceOf(EngineException.class).hasMessageContaining("closed");
    }

    @Test
    void aMissingOrBrokenFile_isAnEngineExceptionNamingIt() throws IOException {
        Path missing = dir.resolve("missing.gguf");
        Path broken = dir.resolve("broken.gguf");
        Files.writeString(broken, "not a model");

        assertThatThrownBy(() -> Engines.open(new ModelSpec.Gguf("m", missing, 64, 1)))
                .isInstanceOf(EngineException.class).hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> Engines.open(new ModelSpec.Gguf("b", broken, 64, 1)))
                .isInstanceOf(EngineException.class).hasMessageContaining("not a GGUF file");
    }

    @Test
    void aGgufFileWithoutItsWeights_failsToLoadCleanly() throws IOException {
        byte[] whole = Files.readAllBytes(modelFile);
        Path truncated = dir.resolve("truncated.gguf");
        Files.write(truncated, Arrays.copyOf(whole, whole.length - 100_000));

        assertThatThrownBy(() -> Engines.open(new ModelSpec.Gguf("t", truncated, 64, 1)))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("llama.cpp could not load " + truncated);
    }

    /** A prompt the model's tokenizer counts as exactly {@code tokens} tokens (BOS included). */
    private String promptOfTokens(int tokens) {
        StringBuilder prompt = new StringBuilder();
        while (engine.promptTokens(prompt.toString()) < tokens) {
            prompt.append(" the");
        }
        assertThat(engine.promptTokens(prompt.toString())).isEqualTo(tokens);
        return prompt.toString();
    }

    private static CompletionRequest completion(String prompt, Sampling sampling) {
        return new CompletionRequest(TinyModels.MODEL_ID, prompt, sampling, true, false);
    }

    private static ChatRequest chat(Sampling sampling, ChatMessage... messages) {
        return new ChatRequest(TinyModels.MODEL_ID, List.of(messages), sampling, true, false);
    }
}
