package io.lattice.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Collection;

/**
 * Writes OpenAI response bodies and stream chunks with exactly the fields OpenAI's SDKs read.
 * Builders return {@link ObjectNode}s so the gateway can add Lattice's own figures later.
 */
public final class OpenAiResponses {

    private OpenAiResponses() {
    }

    /** A {@code chat.completion} object. */
    public static ObjectNode chatCompletion(String id, long created, String model, Generation g) {
        ObjectNode root = head(id, "chat.completion", created, model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", g.text());
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", g.finishReason().wireName());
        root.set("usage", usage(g.promptTokens(), g.completionTokens()));
        return root;
    }

    /**
     * A {@code chat.completion.chunk}. The first chunk of a stream carries the role, the middle ones
     * text, the last one the finish reason.
     *
     * @param role         {@code assistant} on the first chunk, else null
     * @param content      text delta, or null
     * @param finishReason set on the last chunk, else null
     * @param withUsageKey when the client asked for usage: every chunk then has {@code "usage": null}
     */
    public static ObjectNode chatChunk(String id, long created, String model, String role, String content,
                                       FinishReason finishReason, boolean withUsageKey) {
        ObjectNode root = head(id, "chat.completion.chunk", created, model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (role != null) {
            delta.put("role", role);
        }
        if (content != null) {
            delta.put("content", content);
        }
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason.wireName());
        }
        if (withUsageKey) {
            root.putNull("usage");
        }
        return root;
    }

    /** The chunk that closes a stream whose client set {@code stream_options.include_usage}. */
    public static ObjectNode usageChunk(String id, String object, long created, String model, int promptTokens,
                                        int completionTokens) {
        ObjectNode root = head(id, object, created, model);
        root.putArray("choices");
        root.set("usage", usage(promptTokens, completionTokens));
        return root;
    }

    /** A {@code text_completion} object. */
    public static ObjectNode completion(String id, long created, String model, Generation g) {
        ObjectNode root = head(id, "text_completion", created, model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.put("text", g.text());
        choice.putNull("logprobs");
        choice.put("finish_reason", g.finishReason().wireName());
        root.set("usage", usage(g.promptTokens(), g.completionTokens()));
        return root;
    }

    /** A streamed {@code text_completion} chunk. */
    public static ObjectNode completionChunk(String id, long created, String model, String text,
                                             FinishReason finishReason, boolean withUsageKey) {
        ObjectNode root = head(id, "text_completion", created, model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.put("text", text == null ? "" : text);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason.wireName());
        }
        if (withUsageKey) {
            root.putNull("usage");
        }
        return root;
    }

    /** An embeddings {@code list}. */
    public static ObjectNode embeddings(String model, Embeddings e, EmbeddingRequest.EncodingFormat format) {
        ObjectNode root = Json.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < e.vectors().size(); i++) {
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            float[] v = e.vectors().get(i);
            if (format == EmbeddingRequest.EncodingFormat.BASE64) {
                item.put("embedding", base64(v));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float f : v) {
                    values.add(f);
                }
            }
        }
        root.put("model", model);
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", e.promptTokens());
        usage.put("total_tokens", e.promptTokens());
        return root;
    }

    /** A models {@code list}. */
    public static ObjectNode models(Collection<String> ids, long created, String ownedBy) {
        ObjectNode root = Json.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (String id : ids) {
            ObjectNode m = data.addObject();
            m.put("id", id);
            m.put("object", "model");
            m.put("created", created);
            m.put("owned_by", ownedBy);
        }
        return root;
    }

    /** Little-endian float32 bytes in base64, the way OpenAI encodes {@code encoding_format=base64}. */
    public static String base64(float[] vector) {
        ByteBuffer buf = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : vector) {
            buf.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(buf.array());
    }

    /** The inverse of {@link #base64(float[])}. */
    public static float[] fromBase64(String encoded) {
        ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[buf.remaining() / Float.BYTES];
        for (int i = 0; i < out.length; i++) {
            out[i] = buf.getFloat();
        }
        return out;
    }

    public static ObjectNode usage(int promptTokens, int completionTokens) {
        ObjectNode usage = Json.object();
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", promptTokens + completionTokens);
        return usage;
    }

    private static ObjectNode head(String id, String object, long created, String model) {
        ObjectNode root = Json.object();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        return root;
    }
}
