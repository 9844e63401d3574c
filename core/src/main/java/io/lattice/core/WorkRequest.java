package io.lattice.core;

import java.util.Objects;

/**
 * Interactive work waiting to be placed.
 *
 * @param model      the model the client asked for
 * @param capability the endpoint it came in on
 * @param streamed   whether the client wants the answer streamed
 */
public record WorkRequest(String model, ModelCapability capability, boolean streamed) {
    public WorkRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(capability, "capability");
    }
}
