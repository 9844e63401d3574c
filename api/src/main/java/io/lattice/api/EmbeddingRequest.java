package io.lattice.api;

import java.util.List;
import java.util.Objects;

/**
 * A validated {@code POST /v1/embeddings} body.
 *
 * @param inputs the texts to embed, in order; a single string input becomes a list of one
 */
public record EmbeddingRequest(String model, List<String> inputs, EncodingFormat encodingFormat) {
    public EmbeddingRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(encodingFormat, "encodingFormat");
        inputs = List.copyOf(inputs);
    }

    /** How vectors are written in the response. */
    public enum EncodingFormat {
        /** A JSON array of numbers. */
        FLOAT,
        /** Base64 of the little-endian float32 bytes, as OpenAI does. */
        BASE64
    }
}
