package io.lattice.api;

import java.util.List;
import java.util.Objects;

/**
 * A validated {@code POST /v1/chat/completions} body.
 *
 * @param includeUsage whether a streamed answer ends with a chunk carrying {@code usage}
 *                     ({@code stream_options.include_usage})
 */
public record ChatRequest(String model, List<ChatMessage> messages, Sampling sampling, boolean stream,
                          boolean includeUsage) {
    public ChatRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(sampling, "sampling");
        messages = List.copyOf(messages);
    }
}
