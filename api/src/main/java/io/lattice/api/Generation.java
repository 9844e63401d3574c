package io.lattice.api;

import java.util.Objects;

/**
 * The outcome of one text generation.
 *
 * @param text             the generated text, stop string excluded
 * @param finishReason     why it ended
 * @param promptTokens     prompt tokens as the model's tokenizer counts them (chat template included)
 * @param completionTokens tokens generated
 */
public record Generation(String text, FinishReason finishReason, int promptTokens, int completionTokens) {
    public Generation {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(finishReason, "finishReason");
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative but were "
                    + promptTokens + " and " + completionTokens);
        }
    }
}
