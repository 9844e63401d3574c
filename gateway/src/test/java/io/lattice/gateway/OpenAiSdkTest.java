package io.lattice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The official OpenAI Java SDK, unchanged, pointed at the gateway of a real two-node mesh. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiSdkTest {

    private Mesh mesh;
    private OpenAIClient client;

    @BeforeAll
    void start() {
        mesh = Mesh.start(GatewayConfig.defaults(), "farm", "park");
        client = OpenAIOkHttpClient.builder()
                .baseUrl(mesh.gateway().baseUrl() + "/v1")
                .apiKey("unused")
                .maxRetries(0)
                .build();
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    void modelsList_namesBothModels() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();

        assertThat(ids).containsExactlyInAnyOrder(Mesh.CHAT_MODEL, Mesh.EMBEDDING_MODEL);
    }

    @Test
    void modelsRetrieve_findsAServedModel() {
        assertThat(client.models().retrieve(Mesh.EMBEDDING_MODEL).id()).isEqualTo(Mesh.EMBEDDING_MODEL);
    }

    @Test
    void chat_returnsAnAssistantMessage() {
        ChatCompletion completion = client.chat().completions().create(chatParams());

        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().getFirst().message().content()).isPresent();
        assertThat(completion.usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isBetween(1L, 8L));
    }

    @Test
    void streamingChat_deliversTheSameTextAsTheWholeAnswer() {
        String whole = client.chat().completions().create(chatParams()).choices().getFirst().message().content()
                .orElseThrow();
        StringBuilder streamed = new StringBuilder();
        int chunks;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chatParams())) {
            List<ChatCompletionChunk> all = stream.stream().toList();
            chunks = all.size();
            for (ChatCompletionChunk chunk : all) {
                chunk.choices().forEach(c -> c.delta().content().ifPresent(streamed::append));
            }
        }

        assertThat(chunks).isGreaterThanOrEqualTo(3);
        assertThat(streamed.toString()).isEqualTo(whole);
    }

    @Test
    void embeddings_areVectorsOf384() {
        CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
                .model(Mesh.EMBEDDING_MODEL)
                .inputOfArrayOfStrings(List.of("solar park", "wind farm"))
                .build());

        assertThat(response.data()).hasSize(2);
        assertThat(response.data()).allSatisfy(e -> assertThat(e.embedding()).hasSize(384));
    }

    @Test
    void unknownModel_raisesNotFoundWithTheGatewaysMessage() {
        ChatCompletionCreateParams params = chatParams().toBuilder().model("gpt-imaginary").build();

        assertThatThrownBy(() -> client.chat().completions().create(params))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("gpt-imaginary");
                });
    }

    private static ChatCompletionCreateParams chatParams() {
        return ChatCompletionCreateParams.builder()
                .model(Mesh.CHAT_MODEL)
                .addUserMessage("Name a colour.")
                .maxCompletionTokens(8)
                .temperature(0.0)
                .build();
    }
}
