package io.lattice.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lattice.api.ApiError;
import io.lattice.api.OpenAiRequests;
import io.lattice.core.ModelCapability;
import io.lattice.core.ModelEnergy;
import io.lattice.core.NodeTelemetry;
import io.lattice.core.ServedModel;
import java.net.URI;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a heartbeat body ({@link NodeTelemetry} as JSON, snake_case, as {@code Json.bytes(telemetry)}
 * writes it) and checks every field, so a node with a bug gets a 400 naming the field instead of
 * poisoning placement with a negative queue or a null URL.
 */
final class Heartbeats {

    private Heartbeats() {
    }

    /** @throws io.lattice.api.ApiException 400 naming the first missing or wrong field */
    static NodeTelemetry parse(byte[] body) {
        ObjectNode json = OpenAiRequests.parseObject(body);
        String nodeId = OpenAiRequests.requiredString(json, "node_id");
        String siteId = OpenAiRequests.requiredString(json, "site_id");
        String baseUrl = baseUrl(OpenAiRequests.requiredString(json, "base_url"));
        List<ServedModel> models = models(json);
        int queueDepth = count(json, "queue_depth");
        int inFlight = count(json, "in_flight");
        double tokensPerSecond = amount(json, "tokens_per_second");
        double powerWatts = amount(json, "power_watts");
        JsonNode estimated = required(json, "power_estimated");
        if (!estimated.isBoolean()) {
            throw invalid("power_estimated", "'power_estimated' must be a boolean but was " + estimated + ".");
        }
        Instant sentAt = instant(json, "sent_at");
        return new NodeTelemetry(nodeId, siteId, baseUrl, models, queueDepth, inFlight, tokensPerSecond, powerWatts,
                estimated.booleanValue(), sentAt, modelEnergy(json));
    }

    /** Optional {@code model_energy}: what the node has learned per model; absent or null reads as none. */
    private static List<ModelEnergy> modelEnergy(ObjectNode json) {
        JsonNode node = json.get("model_energy");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid("model_energy", "'model_energy' must be an array of {model_id, joules_per_prompt_token,"
                    + " joules_per_output_token, prefill_tokens_per_second, decode_tokens_per_second, samples,"
                    + " estimated} objects.");
        }
        List<ModelEnergy> list = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            String at = "model_energy[" + i + "]";
            JsonNode m = node.get(i);
            if (!(m instanceof ObjectNode o)) {
                throw invalid(at, "'" + at + "' must be an object.");
            }
            JsonNode est = required(o, at + ".estimated", "estimated");
            if (!est.isBoolean()) {
                throw invalid(at + ".estimated", "'" + at + ".estimated' must be a boolean but was " + est + ".");
            }
            JsonNode samples = required(o, at + ".samples", "samples");
            if (!samples.canConvertToExactIntegral() || !samples.canConvertToInt() || samples.intValue() < 1) {
                throw invalid(at + ".samples", "'" + at + ".samples' must be an integer of 1 or more but was "
                        + samples + ".");
            }
            list.add(new ModelEnergy(text(m, at + ".model_id", "model_id"),
                    amount(o, at, "joules_per_prompt_token"), amount(o, at, "joules_per_output_token"),
                    amount(o, at, "prefill_tokens_per_second"), amount(o, at, "decode_tokens_per_second"),
                    samples.intValue(), est.booleanValue()));
        }
        return list;
    }

    private static JsonNode required(ObjectNode json, String at, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            throw invalid(at, "Missing required field: '" + at + "'.");
        }
        return node;
    }

    private static double amount(ObjectNode json, String at, String field) {
        JsonNode node = required(json, at + "." + field, field);
        double value = node.asDouble(Double.NaN);
        if (!node.isNumber() || !Double.isFinite(value) || value < 0) {
            throw invalid(at + "." + field, "'" + at + "." + field + "' must be a number of 0 or more but was "
                    + node + ".");
        }
        return value;
    }

    private static String baseUrl(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw invalid("base_url", "'base_url' must be an http(s) URL but was '" + value + "': " + e.getReason()
                    + ".");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getQuery() != null
                || uri.getFragment() != null) {
            throw invalid("base_url", "'base_url' must be an http(s) URL with a host and no query, for example"
                    + " http://10.0.0.5:9001, but was '" + value + "'.");
        }
        // relayed paths are appended to it: drop a trailing slash so they do not double
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    private static List<ServedModel> models(ObjectNode json) {
        JsonNode node = required(json, "models");
        if (!node.isArray()) {
            throw invalid("models", "'models' must be an array of {id, capabilities, format} objects.");
        }
        List<ServedModel> models = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            String at = "models[" + i + "]";
            JsonNode m = node.get(i);
            if (!m.isObject()) {
                throw invalid(at, "'" + at + "' must be an object with id, capabilities and format.");
            }
            String id = text(m, at + ".id", "id");
            String format = text(m, at + ".format", "format");
            JsonNode caps = m.get("capabilities");
            if (caps == null || !caps.isArray() || caps.isEmpty()) {
                throw invalid(at + ".capabilities", "'" + at + ".capabilities' must be a non-empty array of "
                        + List.of(ModelCapability.values()) + ".");
            }
            Set<ModelCapability> capabilities = EnumSet.noneOf(ModelCapability.class);
            for (JsonNode c : caps) {
                capabilities.add(capability(c, at + ".capabilities"));
            }
            models.add(new ServedModel(id, capabilities, format));
        }
        return models;
    }

    private static ModelCapability capability(JsonNode node, String at) {
        if (node.isTextual()) {
            try {
                return ModelCapability.valueOf(node.textValue().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // falls through to the error below
            }
        }
        throw invalid(at, "'" + at + "' must hold only " + List.of(ModelCapability.values()) + " but had " + node
                + ".");
    }

    private static String text(JsonNode parent, String at, String field) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isTextual() || node.textValue().isBlank()) {
            throw invalid(at, "'" + at + "' is required and must be a non-empty string.");
        }
        return node.textValue();
    }

    private static int count(ObjectNode json, String field) {
        JsonNode node = required(json, field);
        if (!node.canConvertToExactIntegral() || !node.canConvertToInt() || node.intValue() < 0) {
            throw invalid(field, "'" + field + "' must be an integer of 0 or more but was " + node + ".");
        }
        return node.intValue();
    }

    private static double amount(ObjectNode json, String field) {
        JsonNode node = required(json, field);
        double value = node.asDouble(Double.NaN);
        if (!node.isNumber() || !Double.isFinite(value) || value < 0) {
            throw invalid(field, "'" + field + "' must be a number of 0 or more but was " + node + ".");
        }
        return value;
    }

    private static Instant instant(ObjectNode json, String field) {
        JsonNode node = required(json, field);
        try {
            if (node.isTextual()) {
                return Instant.parse(node.textValue());
            }
        } catch (DateTimeException e) {
            // falls through to the error below
        }
        throw invalid(field, "'" + field + "' must be an ISO-8601 instant such as 2026-01-01T12:00:00Z but was "
                + node + ".");
    }

    private static JsonNode required(ObjectNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            throw invalid(field, "Missing required field: '" + field + "'.");
        }
        return node;
    }

    private static RuntimeException invalid(String field, String message) {
        return ApiError.invalidField(field, message).toException();
    }
}
