package io.lattice.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads OpenAI request bodies into validated records. Every problem becomes an {@link ApiException}
 * carrying a 400 that names the field and the rule, so the gateway can refuse bad requests before
 * they cost a node anything, and the node applies the same rules when called directly.
 *
 * <p>Fields Lattice does not use are ignored, as OpenAI's SDKs send many optional ones.
 */
public final class OpenAiRequests {

    /** At most this many stop strings, as OpenAI allows. */
    public static final int MAX_STOP_STRINGS = 4;
    /** At most this many inputs in one embeddings request, as OpenAI allows. */
    public static final int MAX_EMBEDDING_INPUTS = 2048;

    private OpenAiRequests() {
    }

    /** Parses bytes into a JSON object or throws a 400 {@code invalid_json}. */
    public static ObjectNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiError.malformedJson("the body is empty").toException();
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(body);
        } catch (JacksonException e) {
            throw ApiError.malformedJson(e.getOriginalMessage()).toException();
        } catch (java.io.IOException e) {
            throw ApiError.malformedJson(e.getMessage()).toException();
        }
        if (node == null || !node.isObject()) {
            throw ApiError.malformedJson("the body is " + (node == null ? "empty" : "a JSON " + node.getNodeType()
                    .name().toLowerCase(java.util.Locale.ROOT))).toException();
        }
        return (ObjectNode) node;
    }

    public static ChatRequest chat(byte[] body) {
        return chat(parseObject(body));
    }

    public static ChatRequest chat(ObjectNode json) {
        String model = requiredString(json, "model");
        JsonNode messagesNode = json.get("messages");
        if (messagesNode == null || messagesNode.isNull()) {
            throw ApiError.invalidField("messages", "Missing required parameter: 'messages'.").toException();
        }
        if (!messagesNode.isArray() || messagesNode.isEmpty()) {
            throw ApiError.invalidField("messages", "'messages' must be a non-empty array of messages.").toException();
        }
        List<ChatMessage> messages = new ArrayList<>(messagesNode.size());
        for (int i = 0; i < messagesNode.size(); i++) {
            messages.add(message(messagesNode.get(i), "messages[" + i + "]"));
        }
        requireSingleChoice(json);
        return new ChatRequest(model, messages, sampling(json, "max_completion_tokens"), bool(json, "stream"),
                includeUsage(json));
    }

    public static CompletionRequest completion(byte[] body) {
        return completion(parseObject(body));
    }

    public static CompletionRequest completion(ObjectNode json) {
        String model = requiredString(json, "model");
        JsonNode promptNode = json.get("prompt");
        String prompt;
        if (promptNode == null || promptNode.isNull()) {
            throw ApiError.invalidField("prompt", "Missing required parameter: 'prompt'.").toException();
        } else if (promptNode.isTextual()) {
            prompt = promptNode.textValue();
        } else if (promptNode.isArray() && promptNode.size() == 1 && promptNode.get(0).isTextual()) {
            prompt = promptNode.get(0).textValue();
        } else {
            throw ApiError.invalidField("prompt", "'prompt' must be a string (or an array of exactly one string);"
                    + " send several prompts as several requests or as a batch.").toException();
        }
        requireSingleChoice(json);
        return new CompletionRequest(model, prompt, sampling(json, null), bool(json, "stream"), includeUsage(json));
    }

    public static EmbeddingRequest embedding(byte[] body) {
        return embedding(parseObject(body));
    }

    public static EmbeddingRequest embedding(ObjectNode json) {
        String model = requiredString(json, "model");
        JsonNode inputNode = json.get("input");
        List<String> inputs = new ArrayList<>();
        if (inputNode == null || inputNode.isNull()) {
            throw ApiError.invalidField("input", "Missing required parameter: 'input'.").toException();
        } else if (inputNode.isTextual()) {
            inputs.add(inputNode.textValue());
        } else if (inputNode.isArray()) {
            if (inputNode.isEmpty()) {
                throw ApiError.invalidField("input", "'input' must not be an empty array.").toException();
            }
            if (inputNode.size() > MAX_EMBEDDING_INPUTS) {
                throw ApiError.invalidField("input", "'input' has " + inputNode.size() + " items; at most "
                        + MAX_EMBEDDING_INPUTS + " are allowed in one request.").toException();
            }
            for (int i = 0; i < inputNode.size(); i++) {
                JsonNode item = inputNode.get(i);
                if (!item.isTextual()) {
                    throw ApiError.invalidField("input", "'input[" + i + "]' must be a string; token arrays are"
                            + " not supported.").toException();
                }
                inputs.add(item.textValue());
            }
        } else {
            throw ApiError.invalidField("input", "'input' must be a string or an array of strings.").toException();
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).isEmpty()) {
                throw ApiError.invalidField("input", "'input[" + i + "]' must not be an empty string.").toException();
            }
        }
        EmbeddingRequest.EncodingFormat format = EmbeddingRequest.EncodingFormat.FLOAT;
        JsonNode formatNode = json.get("encoding_format");
        if (formatNode != null && !formatNode.isNull()) {
            String value = formatNode.isTextual() ? formatNode.textValue() : formatNode.toString();
            format = switch (value) {
                case "float" -> EmbeddingRequest.EncodingFormat.FLOAT;
                case "base64" -> EmbeddingRequest.EncodingFormat.BASE64;
                default -> throw ApiError.invalidField("encoding_format", "'encoding_format' must be 'float' or"
                        + " 'base64' but was " + value + ".").toException();
            };
        }
        return new EmbeddingRequest(model, inputs, format);
    }

    /**
     * The {@code model} and {@code stream} fields only, checked; what the gateway needs to route a body
     * it passes on unchanged.
     */
    public static String requiredString(ObjectNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            throw ApiError.invalidField(field, "Missing required parameter: '" + field + "'.").toException();
        }
        if (!node.isTextual() || node.textValue().isBlank()) {
            throw ApiError.invalidField(field, "'" + field + "' must be a non-empty string.").toException();
        }
        return node.textValue();
    }

    public static boolean bool(ObjectNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw ApiError.invalidField(field, "'" + field + "' must be a boolean but was " + node + ".").toException();
        }
        return node.booleanValue();
    }

    private static boolean includeUsage(ObjectNode json) {
        JsonNode options = json.get("stream_options");
        if (options == null || options.isNull()) {
            return false;
        }
        if (!options.isObject()) {
            throw ApiError.invalidField("stream_options", "'stream_options' must be an object.").toException();
        }
        JsonNode include = options.get("include_usage");
        if (include == null || include.isNull()) {
            return false;
        }
        if (!include.isBoolean()) {
            throw ApiError.invalidField("stream_options.include_usage",
                    "'stream_options.include_usage' must be a boolean.").toException();
        }
        return include.booleanValue();
    }

    private static void requireSingleChoice(ObjectNode json) {
        JsonNode n = json.get("n");
        if (n != null && !n.isNull() && !(n.canConvertToExactIntegral() && n.asInt() == 1)) {
            throw ApiError.invalidField("n", "'n' must be 1; Lattice returns one choice per request.").toException();
        }
    }

    private static ChatMessage message(JsonNode node, String path) {
        if (!node.isObject()) {
            throw ApiError.invalidField(path, "'" + path + "' must be an object with 'role' and 'content'.")
                    .toException();
        }
        JsonNode roleNode = node.get("role");
        if (roleNode == null || !roleNode.isTextual()) {
            throw ApiError.invalidField(path + ".role", "'" + path + ".role' is required and must be a string.")
                    .toException();
        }
        String role = roleNode.textValue();
        if (!List.of("system", "developer", "user", "assistant", "tool").contains(role)) {
            throw ApiError.invalidField(path + ".role", "'" + path + ".role' must be one of system, developer,"
                    + " user, assistant, tool but was '" + role + "'.").toException();
        }
        JsonNode content = node.get("content");
        String text;
        if (content == null || content.isNull()) {
            if (!role.equals("assistant")) {
                throw ApiError.invalidField(path + ".content", "'" + path + ".content' is required.").toException();
            }
            text = "";
        } else if (content.isTextual()) {
            text = content.textValue();
        } else if (content.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < content.size(); i++) {
                JsonNode part = content.get(i);
                JsonNode type = part.get("type");
                JsonNode partText = part.get("text");
                if (type == null || !"text".equals(type.asText()) || partText == null || !partText.isTextual()) {
                    throw ApiError.invalidField(path + ".content[" + i + "]", "'" + path + ".content[" + i
                            + "]' must be a text part ({\"type\":\"text\",\"text\":\"...\"}); this model reads text"
                            + " only.").toException();
                }
                if (!joined.isEmpty()) {
                    joined.append('\n');
                }
                joined.append(partText.textValue());
            }
            text = joined.toString();
        } else {
            throw ApiError.invalidField(path + ".content", "'" + path + ".content' must be a string or an array of"
                    + " text parts.").toException();
        }
        return new ChatMessage(role.equals("developer") ? "system" : role, text);
    }

    private static Sampling sampling(ObjectNode json, String maxTokensAlias) {
        Integer maxTokens = positiveInt(json, "max_tokens");
        if (maxTokens == null && maxTokensAlias != null) {
            maxTokens = positiveInt(json, maxTokensAlias);
        }
        Double temperature = number(json, "temperature", 0.0, 2.0, true);
        Double topP = number(json, "top_p", 0.0, 1.0, false);
        Long seed = null;
        JsonNode seedNode = json.get("seed");
        if (seedNode != null && !seedNode.isNull()) {
            if (!seedNode.canConvertToExactIntegral() || !seedNode.canConvertToLong()) {
                throw ApiError.invalidField("seed", "'seed' must be an integer but was " + seedNode + ".")
                        .toException();
            }
            seed = seedNode.longValue();
        }
        return new Sampling(maxTokens, temperature, topP, seed, stop(json));
    }

    private static List<String> stop(ObjectNode json) {
        JsonNode node = json.get("stop");
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<String> stop = new ArrayList<>();
        if (node.isTextual()) {
            stop.add(node.textValue());
        } else if (node.isArray()) {
            if (node.size() > MAX_STOP_STRINGS) {
                throw ApiError.invalidField("stop", "'stop' may hold at most " + MAX_STOP_STRINGS
                        + " strings but has " + node.size() + ".").toException();
            }
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    throw ApiError.invalidField("stop", "'stop' must be a string or an array of strings.")
                            .toException();
                }
                stop.add(item.textValue());
            }
        } else {
            throw ApiError.invalidField("stop", "'stop' must be a string or an array of strings.").toException();
        }
        if (stop.stream().anyMatch(String::isEmpty)) {
            throw ApiError.invalidField("stop", "'stop' strings must not be empty.").toException();
        }
        return stop;
    }

    private static Integer positiveInt(ObjectNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.canConvertToExactIntegral() || !node.canConvertToInt() || node.intValue() < 1) {
            throw ApiError.invalidField(field, "'" + field + "' must be an integer of at least 1 but was " + node
                    + ".").toException();
        }
        return node.intValue();
    }

    private static Double number(ObjectNode json, String field, double min, double max, boolean minInclusive) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        double value = node.asDouble(Double.NaN);
        boolean aboveMin = minInclusive ? value >= min : value > min;
        if (!node.isNumber() || !aboveMin || value > max) {
            throw ApiError.invalidField(field, "'" + field + "' must be a number " + (minInclusive ? "from " : "above ")
                    + min + " to " + max + " but was " + node + ".").toException();
        }
        return value;
    }
}
