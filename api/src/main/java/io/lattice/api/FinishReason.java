package io.lattice.api;

/** Why generation ended, as OpenAI names it. */
public enum FinishReason {
    /** The model ended its answer or a stop string was met. */
    STOP("stop"),
    /** {@code max_tokens} (or the context) ran out. */
    LENGTH("length");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
