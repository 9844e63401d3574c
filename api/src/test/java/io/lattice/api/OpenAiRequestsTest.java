package io.lattice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiRequestsTest {

    private static byte[] json(String s) {
        return s.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    private static ApiError errorOf(Runnable r) {
        try {
            r.run();
        } catch (ApiException e) {
            return e.error();
        }
        throw new AssertionError("expected an ApiException");
    }

    @Test
    void chat_readsMessagesAndSampling() {
        ChatRequest r = OpenAiRequests.chat(json("{'model':'m','messages':[{'role':'developer','content':'be brief'},"
                + "{'role':'user','content':[{'type':'text','text':'hi'},{'type':'text','text':'there'}]}],"
                + "'max_tokens':5,'temperature':0.5,'top_p':0.9,'seed':42,'stop':['\\n','END'],'stream':true,"
                + "'stream_options':{'include_usage':true},'user':'ignored'}"));

        assertThat(r.model()).isEqualTo("m");
        assertThat(r.messages()).containsExactly(new ChatMessage("system", "be brief"),
                new ChatMessage("user", "hi\nthere"));
        assertThat(r.sampling()).isEqualTo(new Sampling(5, 0.5, 0.9, 42L, java.util.List.of("\n", "END")));
        assertThat(r.stream()).isTrue();
        assertThat(r.includeUsage()).isTrue();
    }

    @Test
    void chat_acceptsMaxCompletionTokensAsNewerSdksSendIt() {
        ChatRequest r = OpenAiRequests.chat(json("{'model':'m','messages':[{'role':'user','content':'x'}],"
                + "'max_completion_tokens':7}"));
        assertThat(r.sampling().maxTokens()).isEqualTo(7);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'messages':[{'role':'user','content':'x'}]}                      | model",
        "{'model':'','messages':[{'role':'user','content':'x'}]}           | model",
        "{'model':'m'}                                                     | messages",
        "{'model':'m','messages':[]}                                       | messages",
        "{'model':'m','messages':[{'content':'x'}]}                        | messages[0].role",
        "{'model':'m','messages':[{'role':'wizard','content':'x'}]}        | messages[0].role",
        "{'model':'m','messages':[{'role':'user'}]}                        | messages[0].content",
        "{'model':'m','messages':[{'role':'user','content':'x'}],'temperature':3}   | temperature",
        "{'model':'m','messages':[{'role':'user','content':'x'}],'top_p':0}         | top_p",
        "{'model':'m','messages':[{'role':'user','content':'x'}],'max_tokens':0}    | max_tokens",
        "{'model':'m','messages':[{'role':'user','content':'x'}],'max_tokens':'9'}  | max_tokens",
        "{'model':'m','messages':[{'role':'user','content':'x'}],'seed':1.5}        | seed",
        "{'model':'m','messages':[{'role':'user','content':'x'}],'stop':['a','b','c','d','e']} | stop",
        "{'model':'m','messages':[{'role':'user','content':'x'}],'stream':'yes'}    | stream",
        "{'model':'m','messages':[{'role':'user','content':'x'}],'n':2}             | n",
    })
    void chat_rejectsBadFieldsNamingTheField(String body, String field) {
        ApiError e = errorOf(() -> OpenAiRequests.chat(json(body)));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo(ApiError.INVALID_REQUEST);
        assertThat(e.param()).isEqualTo(field);
        assertThat(e.message()).contains(field.replaceAll("\\[.*", ""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{not json", "[1,2]", "''", "42", "{}x", "{} {}"})
    void parse_rejectsBodiesThatAreNotJsonObjects(String body) {
        ApiError e = errorOf(() -> OpenAiRequests.chat(json(body)));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo("invalid_json");
    }

    @Test
    void parse_rejectsEmptyBody() {
        assertThat(errorOf(() -> OpenAiRequests.embedding(new byte[0])).code()).isEqualTo("invalid_json");
    }

    @Test
    void embedding_takesStringOrArrayAndEncodingFormat() {
        assertThat(OpenAiRequests.embedding(json("{'model':'e','input':'one'}")).inputs()).containsExactly("one");
        EmbeddingRequest r = OpenAiRequests.embedding(json("{'model':'e','input':['a','b'],'encoding_format':'base64'}"));
        assertThat(r.inputs()).containsExactly("a", "b");
        assertThat(r.encodingFormat()).isEqualTo(EmbeddingRequest.EncodingFormat.BASE64);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'model':'e'}                                   | input",
        "{'model':'e','input':[]}                        | input",
        "{'model':'e','input':[1,2]}                     | input",
        "{'model':'e','input':''}                        | input",
        "{'model':'e','input':'x','encoding_format':'hex'} | encoding_format",
    })
    void embedding_rejectsBadInput(String body, String field) {
        ApiError e = errorOf(() -> OpenAiRequests.embedding(json(body)));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.param()).isEqualTo(field);
    }

    @Test
    void completion_takesOnePrompt() {
        assertThat(OpenAiRequests.completion(json("{'model':'m','prompt':['once']}")).prompt()).isEqualTo("once");
        assertThatThrownBy(() -> OpenAiRequests.completion(json("{'model':'m','prompt':['a','b']}")))
                .isInstanceOf(ApiException.class).hasMessageContaining("prompt");
    }

    @Test
    void errorBody_hasOpenAiShape() throws Exception {
        var tree = Json.mapper().readTree(Json.errorBody(ApiError.modelNotFound("nope")));

        assertThat(tree.get("error").get("message").asText()).contains("nope");
        assertThat(tree.get("error").get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(tree.get("error").get("param").asText()).isEqualTo("model");
        assertThat(tree.get("error").get("code").asText()).isEqualTo("model_not_found");
    }

    @Test
    void base64_roundTripsFloatsExactly() {
        float[] v = {0f, -1.5f, 3.1415927f, Float.MIN_VALUE, 1e-20f};
        assertThat(OpenAiResponses.fromBase64(OpenAiResponses.base64(v))).containsExactly(v);
    }
}
