package io.lattice.core;

/** What a served model can do, named after the OpenAI endpoint that uses it. */
public enum ModelCapability {
    /** {@code /v1/chat/completions}. */
    CHAT,
    /** {@code /v1/completions}. */
    COMPLETIONS,
    /** {@code /v1/embeddings}. */
    EMBEDDINGS
}
