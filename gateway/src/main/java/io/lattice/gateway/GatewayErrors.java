package io.lattice.gateway;

import io.lattice.api.ApiError;
import io.lattice.api.LatticeHeaders;
import io.lattice.core.ModelCapability;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The errors only a gateway produces (the mesh is short of a node, a node failed). Like
 * HikariCP's pool timeout, each message carries a snapshot of the mesh so that whoever reads it
 * knows what to look at.
 */
final class GatewayErrors {

    /** Seconds a client should wait after a 503: about one heartbeat interval. */
    static final int RETRY_AFTER_SECONDS = 1;

    private GatewayErrors() {
    }

    /** One node as an error message shows it. */
    record NodeState(String nodeId, Duration heartbeatAge) {
    }

    /** 503: nodes serve the model but none of them is live. */
    static ApiError noLiveNode(String model, ModelCapability capability, List<NodeState> silent, Duration timeout) {
        String states = silent.stream()
                .map(s -> s.nodeId() + " last heartbeat " + Durations.seconds(s.heartbeatAge()) + " ago")
                .collect(Collectors.joining(", "));
        String message = "No live node serves model '" + model + "' for " + endpoint(capability) + " now: "
                + silent.size() + (silent.size() == 1 ? " node serves it" : " nodes serve it") + ", 0 live, "
                + silent.size() + " stale (" + states + "; a node is stale after " + Durations.seconds(timeout)
                + " without a heartbeat). Retry after " + RETRY_AFTER_SECONDS + " s.";
        return new ApiError(503, message, ApiError.SERVER_ERROR, "model", "no_live_node", RETRY_AFTER_SECONDS);
    }

    /** 503: live nodes serve the model but the policy placed the request on none of them. */
    static ApiError notPlaced(String model, String policy, int liveServing, String reason) {
        return new ApiError(503, "Placement policy '" + policy + "' found no node for model '" + model + "' among "
                + liveServing + " live " + (liveServing == 1 ? "node" : "nodes") + " serving it: " + reason
                + ". Retry after " + RETRY_AFTER_SECONDS + " s.", ApiError.SERVER_ERROR, "model", "no_capacity",
                RETRY_AFTER_SECONDS);
    }

    /** 503: live nodes serve the model, but none at a site known to lie in the allowed jurisdictions. */
    static ApiError noNodeInJurisdiction(String model, Set<String> allowed, List<String> liveServing) {
        return new ApiError(503, "No live node serving model '" + model + "' stands in the allowed jurisdictions "
                + allowed.stream().sorted().toList() + " (" + LatticeHeaders.JURISDICTION + "); live nodes serving it: "
                + String.join(", ", liveServing) + ". The request was not moved elsewhere. Retry after "
                + RETRY_AFTER_SECONDS + " s or allow more jurisdictions.", ApiError.SERVER_ERROR,
                LatticeHeaders.JURISDICTION, "no_node_in_jurisdiction", RETRY_AFTER_SECONDS);
    }

    /** 400: a request header Lattice reads has a value it cannot use. */
    static ApiError badHeader(String header, String value, String rule) {
        return new ApiError(400, "Invalid header " + header + ": '" + value + "'; " + rule + ".",
                ApiError.INVALID_REQUEST, header, "invalid_header", 0);
    }

    /** 404: the mesh knows the model but not for this endpoint (an embedding model asked to chat). */
    static ApiError wrongEndpoint(String model, ModelCapability asked, Set<ModelCapability> served) {
        String endpoints = served.stream().sorted().map(GatewayErrors::endpoint).collect(Collectors.joining(", "));
        return new ApiError(404, "The model '" + model + "' is not supported by " + endpoint(asked)
                + "; it is served for " + endpoints + ".", ApiError.INVALID_REQUEST, "model", "model_not_found", 0);
    }

    /** 502: the chosen node (and the retry, if any) could not be reached. */
    static ApiError nodeUnreachable(String model, List<String> failures, boolean noOtherNode) {
        return new ApiError(502, "Could not reach a node for model '" + model + "': " + String.join("; ", failures)
                + (noOtherNode ? "; no other live node serves it." : ".") + " Retry later.",
                ApiError.SERVER_ERROR, null, "node_unreachable", RETRY_AFTER_SECONDS);
    }

    /** 504: the node did not start answering within the node request timeout. */
    static ApiError nodeTimeout(String nodeId, Duration timeout) {
        return new ApiError(504, "Node " + nodeId + " did not answer within " + Durations.seconds(timeout)
                + " (the gateway's node request timeout).", ApiError.SERVER_ERROR, null, "node_timeout", 0);
    }

    /** 502: the node broke off a stream after part of it reached the client; sent as an SSE event. */
    static ApiError streamBroken(String nodeId, String why) {
        return new ApiError(502, "Node " + nodeId + " stopped in the middle of the stream: " + why + ".",
                ApiError.SERVER_ERROR, null, "node_stream_broken", 0);
    }

    /** 503 while the gateway shuts down or the request thread is interrupted. */
    static ApiError interrupted() {
        return new ApiError(503, "The gateway is shutting down. Retry on another gateway or later.",
                ApiError.SERVER_ERROR, null, "shutting_down", RETRY_AFTER_SECONDS);
    }

    /** The OpenAI endpoint that serves a capability. */
    static String endpoint(ModelCapability capability) {
        return switch (capability) {
            case CHAT -> "/v1/chat/completions";
            case COMPLETIONS -> "/v1/completions";
            case EMBEDDINGS -> "/v1/embeddings";
        };
    }

    static String lower(ModelCapability capability) {
        return capability.name().toLowerCase(Locale.ROOT);
    }
}
