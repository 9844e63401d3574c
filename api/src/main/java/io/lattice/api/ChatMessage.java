package io.lattice.api;

import java.util.Objects;

/**
 * One message of a chat, reduced to what a text model sees.
 *
 * @param role    {@code system}, {@code user}, {@code assistant} or {@code tool}
 * @param content the text; parts of a multi-part message are joined with newlines
 */
public record ChatMessage(String role, String content) {
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }
}
