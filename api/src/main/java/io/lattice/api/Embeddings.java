package io.lattice.api;

import java.util.List;

/**
 * Vectors for the inputs of an {@link EmbeddingRequest}, in input order.
 *
 * @param vectors      one vector per input
 * @param promptTokens tokens read, as the model's tokenizer counts them
 */
public record Embeddings(List<float[]> vectors, int promptTokens) {
    public Embeddings {
        vectors = List.copyOf(vectors);
    }
}
