package io.lattice.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.api.EmbeddingRequest;
import io.lattice.api.Embeddings;
import io.lattice.api.Json;
import io.lattice.api.OpenAiRequests;
import io.lattice.api.OpenAiResponses;
import io.lattice.engine.EngineException;
import io.lattice.engine.Engines;
import io.lattice.engine.InferenceEngine;
import io.lattice.engine.ModelSpec;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Remote embeddings against a loopback server that runs the real bundled MiniLM model, so the
 * vectors that come back over HTTP can be compared with the local engine's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteEngineEmbeddingsTest {

    private static final List<String> TEXTS = List.of("a cat sits on the mat", "Héllo, Wörld!",
            "quarterly earnings rose");

    private InferenceEngine local;
    private LoopbackServer upstream;
    private InferenceEngine remote;

    @BeforeAll
    void startLocalModel() {
        local = Engines.open(new ModelSpec.BundledMiniLm(ModelSpec.BundledMiniLm.DEFAULT_ID));
    }

    @AfterAll
    void stopLocalModel() {
        local.close();
    }

    @AfterEach
    void stop() {
        if (remote != null) {
            remote.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /** Serves {@code /v1/embeddings} with the local model, in the format asked, or always base64. */
    private void serveLocalModel(boolean forceBase64) {
        upstream = new LoopbackServer().route("/v1/embeddings", (exchange, body) -> {
            EmbeddingRequest request = OpenAiRequests.embedding(body);
            Embeddings e = local.embed(request);
            EmbeddingRequest.EncodingFormat format = forceBase64 ? EmbeddingRequest.EncodingFormat.BASE64
                    : request.encodingFormat();
            LoopbackServer.sendJson(exchange, 200, Json.string(OpenAiResponses.embeddings(request.model(), e, format)));
        });
        remote = Engines.open(new ModelSpec.Remote("minilm-remote", upstream.baseUrl(), "all-minilm-l6-v2",
                "sk-emb-key", false, true));
    }

    @Test
    void embed_returnsTheUpstreamModelsVectorsAndTokenCount() throws IOException {
        serveLocalModel(false);
        Embeddings expected = local.embed(new EmbeddingRequest("m", TEXTS, EmbeddingRequest.EncodingFormat.FLOAT));

        Embeddings got = remote.embed(new EmbeddingRequest("minilm-remote", TEXTS,
                EmbeddingRequest.EncodingFormat.FLOAT));

        assertThat(got.vectors()).hasSize(3);
        for (int i = 0; i < TEXTS.size(); i++) {
            // float → JSON decimal → float is exact: Jackson writes the shortest decimal that reads back the same
            assertThat(got.vectors().get(i)).containsExactly(expected.vectors().get(i));
        }
        assertThat(got.promptTokens()).isEqualTo(expected.promptTokens());
        LoopbackServer.Received r = upstream.received().getFirst();
        assertThat(r.path()).isEqualTo("/v1/embeddings");
        assertThat(r.authorization()).isEqualTo("Bearer sk-emb-key");
        JsonNode body = Json.mapper().readTree(r.body());
        assertThat(body.get("model").asText()).isEqualTo("all-minilm-l6-v2");
        assertThat(body.get("encoding_format").asText()).isEqualTo("float");
        assertThat(body.get("input")).hasSize(3);
    }

    @Test
    void embed_decodesBase64VectorsBitForBit() {
        serveLocalModel(true);
        Embeddings expected = local.embed(new EmbeddingRequest("m", TEXTS, EmbeddingRequest.EncodingFormat.FLOAT));

        Embeddings got = remote.embed(new EmbeddingRequest("minilm-remote", TEXTS,
                EmbeddingRequest.EncodingFormat.FLOAT));

        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(got.vectors().get(i)).containsExactly(expected.vectors().get(i));
        }
    }

    @Test
    void embed_putsVectorsInInputOrderWhateverOrderTheServerUses() {
        upstream = new LoopbackServer().route("/v1/embeddings", (exchange, body) -> LoopbackServer.sendJson(exchange,
                200, """
                {"object":"list","data":[{"object":"embedding","index":1,"embedding":[0.5,0.25]},
                 {"object":"embedding","index":0,"embedding":[1.0,-2.0]}],"model":"e",
                 "usage":{"prompt_tokens":4,"total_tokens":4}}"""));
        remote = Engines.open(new ModelSpec.Remote("e", upstream.baseUrl(), "e", null, false, true));

        Embeddings got = remote.embed(new EmbeddingRequest("e", List.of("first", "second"),
                EmbeddingRequest.EncodingFormat.FLOAT));

        assertThat(got.vectors().get(0)).containsExactly(1.0f, -2.0f);
        assertThat(got.vectors().get(1)).containsExactly(0.5f, 0.25f);
        assertThat(got.promptTokens()).isEqualTo(4);
    }

    @Test
    void embed_withTheWrongNumberOfVectorsIsAnEngineFailure() {
        upstream = new LoopbackServer().route("/v1/embeddings", (exchange, body) -> LoopbackServer.sendJson(exchange,
                200, "{\"object\":\"list\",\"data\":[{\"index\":0,\"embedding\":[1.0]}]}"));
        remote = Engines.open(new ModelSpec.Remote("e", upstream.baseUrl(), "e", null, false, true));

        assertThatThrownBy(() -> remote.embed(new EmbeddingRequest("e", List.of("a", "b"),
                EmbeddingRequest.EncodingFormat.FLOAT)))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining(upstream.baseUrl().toString())
                .hasMessageContaining("2 embedding inputs with 1 vectors");
    }
}
