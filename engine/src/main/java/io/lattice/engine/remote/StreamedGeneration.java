package io.lattice.engine.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.api.FinishReason;
import io.lattice.api.Generation;
import io.lattice.engine.TokenListener;

/**
 * Builds one {@link Generation} from the chunks of an OpenAI stream ({@code chat.completion.chunk}
 * or streamed {@code text_completion}), passing each text delta on as it arrives.
 *
 * <p>Reads choice 0 only (Lattice always asks for one choice). The text is the deltas joined; the
 * finish reason is the last one seen ({@code length} stays {@link FinishReason#LENGTH}; {@code stop}
 * and anything else, such as {@code content_filter} or {@code tool_calls}, become
 * {@link FinishReason#STOP}); token counts come from the {@code usage} object, which servers send
 * with the last choice chunk or in a chunk of its own after it.
 *
 * <p>Not thread-safe: one per stream.
 */
final class StreamedGeneration {

    private final boolean chat;
    private final TokenListener listener;
    private final StringBuilder text = new StringBuilder();
    private int textChunks;
    private FinishReason finishReason;
    private int promptTokens = -1;
    private int completionTokens = -1;

    /**
     * @param chat     true for chat chunks ({@code choices[0].delta.content}), false for completion
     *                 chunks ({@code choices[0].text})
     * @param listener gets every non-empty delta, in order
     */
    StreamedGeneration(boolean chat, TokenListener listener) {
        this.chat = chat;
        this.listener = listener;
    }

    /** Takes one chunk; the listener may throw, which the caller lets propagate. */
    void accept(JsonNode chunk) {
        readUsage(chunk.get("usage"));
        JsonNode choices = chunk.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            return;
        }
        JsonNode choice = choices.get(0);
        JsonNode piece = chat ? choice.path("delta").get("content") : choice.get("text");
        if (piece != null && piece.isTextual() && !piece.textValue().isEmpty()) {
            text.append(piece.textValue());
            textChunks++;
            listener.onText(piece.textValue());
        }
        readFinishReason(choice.get("finish_reason"));
    }

    /**
     * Takes a whole non-streamed answer ({@code chat.completion} or {@code text_completion}), for a
     * server that ignored {@code stream: true}; the listener gets the text as one piece.
     */
    void acceptWhole(JsonNode answer) {
        readUsage(answer.get("usage"));
        JsonNode choices = answer.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            return;
        }
        JsonNode choice = choices.get(0);
        JsonNode whole = chat ? choice.path("message").get("content") : choice.get("text");
        if (whole != null && whole.isTextual() && !whole.textValue().isEmpty()) {
            text.append(whole.textValue());
            textChunks++;
            listener.onText(whole.textValue());
        }
        readFinishReason(choice.get("finish_reason"));
    }

    /** Whether a chunk carried a finish reason, so the answer is complete. */
    boolean finished() {
        return finishReason != null;
    }

    /** Whether a {@code usage} object with token counts arrived. */
    boolean hasUsage() {
        return promptTokens >= 0 && completionTokens >= 0;
    }

    /**
     * The answer so far, finished as {@code stop} when no finish reason arrived. Without usage, prompt
     * tokens are 0 (unknown) and completion tokens are the number of non-empty text chunks.
     */
    Generation result() {
        FinishReason reason = finishReason == null ? FinishReason.STOP : finishReason;
        if (hasUsage()) {
            return new Generation(text.toString(), reason, promptTokens, completionTokens);
        }
        return new Generation(text.toString(), reason, 0, textChunks);
    }

    private void readUsage(JsonNode usage) {
        if (usage != null && usage.isObject()) {
            JsonNode prompt = usage.get("prompt_tokens");
            JsonNode completion = usage.get("completion_tokens");
            if (prompt != null && prompt.canConvertToInt() && prompt.intValue() >= 0) {
                promptTokens = prompt.intValue();
            }
            if (completion != null && completion.canConvertToInt() && completion.intValue() >= 0) {
                completionTokens = completion.intValue();
            }
        }
    }

    private void readFinishReason(JsonNode reason) {
        if (reason != null && reason.isTextual()) {
            finishReason = reason.textValue().equals(FinishReason.LENGTH.wireName()) ? FinishReason.LENGTH
                    : FinishReason.STOP;
        }
    }
}
