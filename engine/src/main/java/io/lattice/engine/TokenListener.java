package io.lattice.engine;

/** Receives generated text as it is produced. */
@FunctionalInterface
public interface TokenListener {

    /** A listener that ignores the text (for non-streamed requests). */
    TokenListener NONE = text -> { };

    /**
     * Called once per generated piece of text, on the generating thread, in order. The pieces
     * concatenated equal the final {@link io.lattice.api.Generation#text()}.
     */
    void onText(String text);
}
