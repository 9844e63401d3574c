package io.lattice.node;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.lattice.engine.ModelSpec;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link NodeConfig} from YAML by walking the tree by hand, so that every error names the
 * file, the field path ({@code models[1].path}), the value and the rule. Unknown keys are errors:
 * a misspelt key silently ignored would mean a default silently used.
 */
final class NodeConfigLoader {

    private static final Set<String> ROOT_KEYS = Set.of("node", "heartbeat-interval", "max-body-bytes", "queue-limit",
            "power", "models");
    private static final Set<String> NODE_KEYS = Set.of("id", "site", "host", "port", "advertised-url", "gateways");
    private static final Set<String> POWER_KEYS = Set.of("idle-watts", "max-watts", "utilisation", "source");
    private static final Set<String> GGUF_KEYS = Set.of("id", "kind", "slots", "path", "context", "threads");
    private static final Set<String> MINILM_KEYS = Set.of("id", "kind", "slots");
    private static final Set<String> REMOTE_KEYS = Set.of("id", "kind", "slots", "base-url", "remote-model",
            "api-key-env", "capabilities");

    /** Context tokens when a GGUF entry does not say. */
    static final int DEFAULT_CONTEXT = 2048;

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(KiB|MiB|GiB)?");

    private final String file;
    private final Path folder;
    private final Function<String, String> env;

    private NodeConfigLoader(Path yaml, Function<String, String> env) {
        this.file = yaml.toString();
        Path parent = yaml.toAbsolutePath().getParent();
        this.folder = parent == null ? Path.of("").toAbsolutePath() : parent;
        this.env = env;
    }

    /**
     * @param env reads environment variables (for {@code api-key-env}); tests pass a map's {@code get}
     */
    static NodeConfig load(Path yaml, Function<String, String> env) {
        return new NodeConfigLoader(yaml, env).read();
    }

    private NodeConfig read() {
        if (!Files.isRegularFile(Path.of(file))) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        JsonNode root;
        try {
            YAMLMapper mapper = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
            root = mapper.readTree(Path.of(file).toFile());
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new IllegalArgumentException(file + ": not valid YAML" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new IllegalArgumentException(file + ": the file is empty; it needs at least a 'node' section with"
                    + " 'id' and 'site'");
        }
        object(root, "(top level)", ROOT_KEYS);

        JsonNode node = root.get("node");
        if (node == null || node.isNull()) {
            throw fail("node", "missing; it must hold at least 'id' and 'site'");
        }
        object(node, "node", NODE_KEYS);
        String nodeId = requiredText(node, "id", "node.id");
        String siteId = requiredText(node, "site", "node.site");
        NodeConfig.Builder b = NodeConfig.builder(nodeId, siteId);
        if (has(node, "host")) {
            b.host(requiredText(node, "host", "node.host"));
        }
        if (has(node, "port")) {
            b.port((int) integer(node.get("port"), "node.port", 0, 65_535, "must be 0 (any free port) to 65535"));
        }
        if (has(node, "advertised-url")) {
            b.advertisedBaseUrl(httpUri(node.get("advertised-url"), "node.advertised-url"));
        }
        if (has(node, "gateways")) {
            JsonNode gateways = node.get("gateways");
            if (!gateways.isArray()) {
                throw fail("node.gateways", "must be a list of gateway URLs but was " + gateways);
            }
            for (int i = 0; i < gateways.size(); i++) {
                b.addGateway(httpUri(gateways.get(i), "node.gateways[" + i + "]"));
            }
        }
        if (has(root, "heartbeat-interval")) {
            Duration interval = duration(root.get("heartbeat-interval"), "heartbeat-interval");
            if (interval.compareTo(Duration.ofMillis(10)) < 0) {
                throw fail("heartbeat-interval", root.get("heartbeat-interval").asText() + " is too short; it must be"
                        + " at least 10ms");
            }
            b.heartbeatInterval(interval);
        }
        if (has(root, "max-body-bytes")) {
            b.maxBodyBytes(size(root.get("max-body-bytes"), "max-body-bytes"));
        }
        if (has(root, "queue-limit")) {
            b.queueLimit((int) integer(root.get("queue-limit"), "queue-limit", 0, Integer.MAX_VALUE,
                    "must be 0 (no waiting) or more"));
        }
        if (has(root, "power")) {
            b.power(power(root.get("power")));
        }
        if (has(root, "models")) {
            models(root.get("models"), b);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            // the fields were checked above; this is the last line of defence and still names the field
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private NodeConfig.Power power(JsonNode power) {
        object(power, "power", POWER_KEYS);
        double idle = has(power, "idle-watts") ? number(power.get("idle-watts"), "power.idle-watts")
                : NodeConfig.Power.DEFAULT.idleWatts();
        double max = has(power, "max-watts") ? number(power.get("max-watts"), "power.max-watts")
                : NodeConfig.Power.DEFAULT.maxWatts();
        if (idle < 0) {
            throw fail("power.idle-watts", idle + " is negative; it must be 0 W or more");
        }
        if (max < idle) {
            throw fail("power.max-watts", max + " is below power.idle-watts (" + idle + "); it must be at least that");
        }
        NodeConfig.Utilisation utilisation = NodeConfig.Utilisation.SLOTS;
        if (has(power, "utilisation")) {
            String value = requiredText(power, "utilisation", "power.utilisation");
            try {
                utilisation = NodeConfig.Utilisation.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw fail("power.utilisation", "'" + value + "' is not one of slots, cpu, max");
            }
        }
        NodeConfig.PowerSource source = NodeConfig.PowerSource.AUTO;
        if (has(power, "source")) {
            String value = requiredText(power, "source", "power.source");
            try {
                source = NodeConfig.PowerSource.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw fail("power.source", "'" + value + "' is not one of auto, rapl, model");
            }
        }
        return new NodeConfig.Power(idle, max, utilisation, source);
    }

    private void models(JsonNode models, NodeConfig.Builder b) {
        if (!models.isArray()) {
            throw fail("models", "must be a list of models but was " + models);
        }
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < models.size(); i++) {
            String at = "models[" + i + "]";
            JsonNode m = models.get(i);
            if (!m.isObject()) {
                throw fail(at, "must be a map with at least 'kind' but was " + m);
            }
            String kind = requiredText(m, "kind", at + ".kind");
            ModelSpec spec = switch (kind) {
                case "gguf" -> gguf(m, at);
                case "minilm" -> minilm(m, at);
                case "remote" -> remote(m, at);
                default -> throw fail(at + ".kind", "'" + kind + "' is not one of gguf, minilm, remote");
            };
            String previous = seen.putIfAbsent(spec.id(), at);
            if (previous != null) {
                throw fail(at + ".id", "'" + spec.id() + "' is already used by " + previous + "; model ids must be"
                        + " unique on a node");
            }
            b.addModel(spec);
            if (has(m, "slots")) {
                b.slots(spec.id(), (int) integer(m.get("slots"), at + ".slots", 1, 1024, "must be 1 to 1024"));
            }
        }
    }

    private ModelSpec gguf(JsonNode m, String at) {
        object(m, at, GGUF_KEYS);
        String id = requiredText(m, "id", at + ".id");
        String pathText = requiredText(m, "path", at + ".path");
        Path path = folder.resolve(pathText).normalize();
        if (!Files.isRegularFile(path)) {
            throw fail(at + ".path", "file " + path + " does not exist");
        }
        int context = has(m, "context")
                ? (int) integer(m.get("context"), at + ".context", 16, 1 << 24, "must be 16 to 16777216 tokens")
                : DEFAULT_CONTEXT;
        int threads = has(m, "threads")
                ? (int) integer(m.get("threads"), at + ".threads", 0, 4096, "must be 0 (let llama.cpp choose) to 4096")
                : 0;
        return new ModelSpec.Gguf(id, path, context, threads);
    }

    private ModelSpec minilm(JsonNode m, String at) {
        object(m, at, MINILM_KEYS);
        String id = has(m, "id") ? requiredText(m, "id", at + ".id") : ModelSpec.BundledMiniLm.DEFAULT_ID;
        return new ModelSpec.BundledMiniLm(id);
    }

    private ModelSpec remote(JsonNode m, String at) {
        object(m, at, REMOTE_KEYS);
        String id = requiredText(m, "id", at + ".id");
        if (!has(m, "base-url")) {
            throw fail(at + ".base-url", "missing; a remote model needs the server's API root, for example"
                    + " http://127.0.0.1:8081/v1");
        }
        URI baseUrl = httpUri(m.get("base-url"), at + ".base-url");
        String remoteModel = has(m, "remote-model") ? requiredText(m, "remote-model", at + ".remote-model") : id;
        String apiKey = null;
        if (has(m, "api-key-env")) {
            String variable = requiredText(m, "api-key-env", at + ".api-key-env");
            apiKey = env.apply(variable);
            if (apiKey == null || apiKey.isBlank()) {
                throw fail(at + ".api-key-env", "environment variable " + variable + " is not set or is empty");
            }
        }
        if (!has(m, "capabilities")) {
            throw fail(at + ".capabilities", "missing; say what the remote model does: [chat], [embeddings] or both");
        }
        JsonNode caps = m.get("capabilities");
        if (!caps.isArray() || caps.isEmpty()) {
            throw fail(at + ".capabilities", "must be a non-empty list of chat, embeddings but was " + caps);
        }
        boolean chat = false;
        boolean embeddings = false;
        for (int i = 0; i < caps.size(); i++) {
            String c = caps.get(i).isTextual() ? caps.get(i).textValue() : caps.get(i).toString();
            switch (c) {
                case "chat", "completions" -> chat = true;
                case "embeddings" -> embeddings = true;
                default -> throw fail(at + ".capabilities[" + i + "]", "'" + c + "' is not one of chat, embeddings");
            }
        }
        return new ModelSpec.Remote(id, baseUrl, remoteModel, apiKey, chat, embeddings);
    }

    // ---- typed field readers: each names the field, the value and the rule ----

    private void object(JsonNode node, String at, Set<String> allowed) {
        if (!node.isObject()) {
            throw fail(at, "must be a map but was " + node);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                String prefix = at.equals("(top level)") ? "" : at + ".";
                throw fail(prefix + key, "unknown key; allowed here: " + String.join(", ", allowed.stream().sorted()
                        .toList()));
            }
        }
    }

    private static boolean has(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    private String requiredText(JsonNode node, String key, String at) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw fail(at, "missing; it is required");
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw fail(at, "must be a string but was " + v);
        }
        String text = v.asText();
        if (text.isBlank()) {
            throw fail(at, "must not be blank");
        }
        return text.strip();
    }

    private long integer(JsonNode v, String at, long min, long max, String rule) {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw fail(at, v + " is not a whole number; it " + rule);
        }
        long value = v.longValue();
        if (value < min || value > max) {
            throw fail(at, value + " is out of range; it " + rule);
        }
        return value;
    }

    private double number(JsonNode v, String at) {
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw fail(at, v + " is not a number");
        }
        return v.doubleValue();
    }

    private URI httpUri(JsonNode v, String at) {
        if (!v.isTextual()) {
            throw fail(at, v + " is not a URL string");
        }
        URI uri;
        try {
            uri = new URI(v.textValue().strip());
        } catch (URISyntaxException e) {
            throw fail(at, "'" + v.textValue() + "' is not a valid URL: " + e.getReason());
        }
        try {
            NodeConfig.requireHttpUri(uri, at);
        } catch (IllegalArgumentException e) {
            throw fail(at, "'" + uri + "' must be an absolute http or https URL with a host");
        }
        return uri;
    }

    /** {@code 1s}, {@code 250ms}, {@code 2m}, {@code 1h}, ISO-8601 {@code PT1S}, or a number of seconds. */
    private Duration duration(JsonNode v, String at) {
        String rule = "must be a duration such as 1s, 250ms, 2m or PT1S";
        if (v.isNumber()) {
            double seconds = v.doubleValue();
            if (!(seconds > 0) || !Double.isFinite(seconds)) {
                throw fail(at, v + " is not a positive number of seconds; it " + rule);
            }
            return Duration.ofNanos(Math.round(seconds * 1e9));
        }
        if (!v.isTextual()) {
            throw fail(at, v + " " + rule);
        }
        String text = v.textValue().strip();
        Matcher m = DURATION.matcher(text);
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            double nanosPerUnit = switch (m.group(2)) {
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            return Duration.ofNanos(Math.round(amount * nanosPerUnit));
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw fail(at, "'" + text + "' " + rule);
        }
    }

    /** A whole number of bytes, or with a binary suffix: {@code 512KiB}, {@code 16MiB}, {@code 1GiB}. */
    private long size(JsonNode v, String at) {
        String rule = "it must be 1 byte to 1GiB, as a number of bytes or with KiB, MiB or GiB";
        long bytes;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            bytes = v.longValue();
        } else if (v.isTextual() && SIZE.matcher(v.textValue().strip()).matches()) {
            Matcher m = SIZE.matcher(v.textValue().strip());
            m.matches();
            long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
                case "KiB" -> 1L << 10;
                case "MiB" -> 1L << 20;
                default -> 1L << 30;
            };
            try {
                bytes = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
            } catch (ArithmeticException | NumberFormatException e) {
                throw fail(at, v.textValue() + " is too large; " + rule);
            }
        } else {
            throw fail(at, v + " is not a size; " + rule);
        }
        if (bytes < 1 || bytes > NodeConfig.MAX_BODY_BYTES_LIMIT) {
            throw fail(at, (v.isTextual() ? v.textValue() : String.valueOf(bytes)) + " is out of range; " + rule);
        }
        return bytes;
    }

    private IllegalArgumentException fail(String at, String message) {
        return new IllegalArgumentException(file + ": " + at + ": " + message);
    }
}
