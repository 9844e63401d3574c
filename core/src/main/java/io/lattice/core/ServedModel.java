package io.lattice.core;

import java.util.Objects;
import java.util.Set;

/**
 * A model as a node serves it.
 *
 * @param id           the name clients use in the {@code model} field, for example {@code all-minilm-l6-v2}
 * @param capabilities the endpoints this model answers; never empty
 * @param format       how it runs: {@code gguf}, {@code onnx} or {@code remote}
 */
public record ServedModel(String id, Set<ModelCapability> capabilities, String format) {
    public ServedModel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(format, "format");
        if (id.isBlank()) {
            throw new IllegalArgumentException("model id must not be blank");
        }
        if (capabilities == null || capabilities.isEmpty()) {
            throw new IllegalArgumentException("model " + id + " must have at least one capability");
        }
        capabilities = Set.copyOf(capabilities);
    }

    public boolean can(ModelCapability capability) {
        return capabilities.contains(capability);
    }
}
