package io.lattice.engine.gguf;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The metadata of a GGUF file (versions 2 and 3), read without loading any tensor: architecture,
 * context length, tokenizer settings, chat template.
 *
 * <p>Scalars are kept as Java values ({@code Long} for every integer type, {@code Double} for both
 * float types, {@code Boolean}, {@code String}); arrays are summarised by their length only, so a
 * 150,000-token vocabulary costs nothing to skip. Immutable and thread-safe.
 */
public final class GgufMetadata {

    /** A string longer than this is taken as a sign of a corrupt file rather than read into memory. */
    private static final long MAX_STRING_BYTES = 64L << 20;
    private static final long MAX_ENTRIES = 1L << 20;

    private final int version;
    private final long tensorCount;
    private final Map<String, Object> values;
    private final Map<String, Long> arrayLengths;

    private GgufMetadata(int version, long tensorCount, Map<String, Object> values, Map<String, Long> arrayLengths) {
        this.version = version;
        this.tensorCount = tensorCount;
        this.values = Collections.unmodifiableMap(values);
        this.arrayLengths = Collections.unmodifiableMap(arrayLengths);
    }

    /**
     * Reads the header and metadata of {@code file}.
     *
     * @throws IOException when the file cannot be read or is not a GGUF file of version 2 or 3; the
     *                     message says what was found
     */
    public static GgufMetadata read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            byte[] magic = new byte[4];
            in.readFully(magic);
            if (magic[0] != 'G' || magic[1] != 'G' || magic[2] != 'U' || magic[3] != 'F') {
                throw new IOException(file + " is not a GGUF file (it does not start with the bytes \"GGUF\")");
            }
            int version = u32(in);
            if (version != 2 && version != 3) {
                throw new IOException(file + " is GGUF version " + Integer.toUnsignedString(version)
                        + "; only versions 2 and 3 are supported");
            }
            long tensorCount = u64(in);
            long kvCount = u64(in);
            if (kvCount < 0 || kvCount > MAX_ENTRIES || tensorCount < 0) {
                throw new IOException(file + " has an implausible header (" + kvCount + " metadata entries, "
                        + tensorCount + " tensors); the file is probably corrupt");
            }
            Map<String, Object> values = new LinkedHashMap<>();
            Map<String, Long> arrays = new LinkedHashMap<>();
            for (long i = 0; i < kvCount; i++) {
                String key = string(in);
                GgufValueType type = type(in, key);
                if (type == GgufValueType.ARRAY) {
                    GgufValueType elementType = type(in, key);
                    long length = u64(in);
                    if (length < 0) {
                        throw new IOException("GGUF key " + key + " has an implausible array length; the file is"
                                + " probably corrupt");
                    }
                    skipArray(in, key, elementType, length);
                    arrays.put(key, length);
                } else {
                    values.put(key, scalar(in, type));
                }
            }
            return new GgufMetadata(version, tensorCount, values, arrays);
        } catch (EOFException e) {
            throw new IOException(file + " ends inside its GGUF header; the file is truncated", e);
        }
    }

    /** The GGUF version, 2 or 3. */
    public int version() {
        return version;
    }

    /** How many tensors the file declares. */
    public long tensorCount() {
        return tensorCount;
    }

    /** Every key, scalars and arrays, in file order. */
    public Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>(values.keySet());
        keys.addAll(arrayLengths.keySet());
        return Collections.unmodifiableSet(keys);
    }

    /** A string value; empty when the key is absent or not a string. */
    public Optional<String> string(String key) {
        return values.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** An integer value of any width; empty when the key is absent or not an integer. */
    public OptionalLong integer(String key) {
        return values.get(key) instanceof Long l ? OptionalLong.of(l) : OptionalLong.empty();
    }

    /** A boolean value; empty when the key is absent or not a boolean. */
    public Optional<Boolean> bool(String key) {
        return values.get(key) instanceof Boolean b ? Optional.of(b) : Optional.empty();
    }

    /** A float value of either width; empty when the key is absent or not a float. */
    public Optional<Double> number(String key) {
        return values.get(key) instanceof Double d ? Optional.of(d) : Optional.empty();
    }

    /** The length of an array value; empty when the key is absent or not an array. */
    public OptionalLong arrayLength(String key) {
        Long length = arrayLengths.get(key);
        return length == null ? OptionalLong.empty() : OptionalLong.of(length);
    }

    private static GgufValueType type(DataInputStream in, String key) throws IOException {
        int id = u32(in);
        try {
            return GgufValueType.of(id);
        } catch (IllegalArgumentException e) {
            throw new IOException("GGUF key " + key + " has unknown value type " + id + "; the file is probably corrupt",
                    e);
        }
    }

    private static Object scalar(DataInputStream in, GgufValueType type) throws IOException {
        return switch (type) {
            case UINT8 -> (long) in.readUnsignedByte();
            case INT8 -> (long) in.readByte();
            case UINT16 -> (long) Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
            case INT16 -> (long) Short.reverseBytes(in.readShort());
            case UINT32 -> Integer.toUnsignedLong(u32(in));
            case INT32 -> (long) u32(in);
            case UINT64, INT64 -> u64(in);
            case FLOAT32 -> (double) Float.intBitsToFloat(u32(in));
            case FLOAT64 -> Double.longBitsToDouble(u64(in));
            case BOOL -> in.readUnsignedByte() != 0;
            case STRING -> string(in);
            case ARRAY -> throw new IllegalStateException("arrays are not scalars");
        };
    }

    private static void skipArray(DataInputStream in, String key, GgufValueType elementType, long length)
            throws IOException {
        if (elementType == GgufValueType.STRING) {
            for (long i = 0; i < length; i++) {
                in.skipNBytes(stringLength(in));
            }
        } else if (elementType == GgufValueType.ARRAY) {
            throw new IOException("GGUF key " + key + " holds nested arrays, which this reader does not support");
        } else {
            in.skipNBytes(Math.multiplyExact(length, (long) elementType.size));
        }
    }

    private static String string(DataInputStream in) throws IOException {
        byte[] bytes = new byte[(int) stringLength(in)];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static long stringLength(DataInputStream in) throws IOException {
        long length = u64(in);
        if (length < 0 || length > MAX_STRING_BYTES) {
            throw new IOException("a GGUF string claims " + Long.toUnsignedString(length)
                    + " bytes; the file is probably corrupt");
        }
        return length;
    }

    private static int u32(DataInputStream in) throws IOException {
        return Integer.reverseBytes(in.readInt());
    }

    private static long u64(DataInputStream in) throws IOException {
        return Long.reverseBytes(in.readLong());
    }
}
