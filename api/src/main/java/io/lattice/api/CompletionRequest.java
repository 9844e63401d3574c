package io.lattice.api;

import java.util.Objects;

/** A validated {@code POST /v1/completions} body (one prompt). */
public record CompletionRequest(String model, String prompt, Sampling sampling, boolean stream,
                                boolean includeUsage) {
    public CompletionRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(sampling, "sampling");
    }
}
