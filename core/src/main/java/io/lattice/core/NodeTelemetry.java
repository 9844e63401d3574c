package io.lattice.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a node reports about itself in each heartbeat.
 *
 * @param nodeId          unique node name within the mesh
 * @param siteId          the site the node stands at
 * @param baseUrl         where the node serves the OpenAI API, for example {@code http://127.0.0.1:9001}
 * @param models          the models it serves now
 * @param queueDepth      requests waiting for an engine slot
 * @param inFlight        requests being run now
 * @param tokensPerSecond measured output tokens per second over the recent window (all models)
 * @param powerWatts      the node's power draw in W
 * @param powerEstimated  true when {@code powerWatts} comes from a model, not a meter
 * @param sentAt          when the node took this reading
 * @param modelEnergy     what the node has learned per model (J per token, tokens/s); only models with
 *                        at least one measured request appear; null reads as empty (nodes that do not
 *                        learn, or older ones)
 */
public record NodeTelemetry(
        String nodeId,
        String siteId,
        String baseUrl,
        List<ServedModel> models,
        int queueDepth,
        int inFlight,
        double tokensPerSecond,
        double powerWatts,
        boolean powerEstimated,
        Instant sentAt,
        List<ModelEnergy> modelEnergy) {

    public NodeTelemetry {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(siteId, "siteId");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(sentAt, "sentAt");
        models = List.copyOf(models);
        modelEnergy = modelEnergy == null ? List.of() : List.copyOf(modelEnergy);
    }

    /** A reading with nothing learned per model yet (the form before nodes reported {@code modelEnergy}). */
    public NodeTelemetry(String nodeId, String siteId, String baseUrl, List<ServedModel> models, int queueDepth,
                         int inFlight, double tokensPerSecond, double powerWatts, boolean powerEstimated,
                         Instant sentAt) {
        this(nodeId, siteId, baseUrl, models, queueDepth, inFlight, tokensPerSecond, powerWatts, powerEstimated,
                sentAt, List.of());
    }

    /** What the node has learned about {@code modelId}, or empty when it has not measured it yet. */
    public Optional<ModelEnergy> energyOf(String modelId) {
        return modelEnergy.stream().filter(e -> e.modelId().equals(modelId)).findFirst();
    }

    public boolean serves(String modelId, ModelCapability capability) {
        return models.stream().anyMatch(m -> m.id().equals(modelId) && m.can(capability));
    }
}
