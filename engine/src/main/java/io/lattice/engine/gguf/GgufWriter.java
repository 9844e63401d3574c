package io.lattice.engine.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a GGUF version 3 file: metadata key/values and 32-bit float tensors, the subset needed to
 * hand llama.cpp a small model that tests and demos make up themselves.
 *
 * <p>Design note. A GGUF file is, in little-endian order: the magic {@code "GGUF"}, the version
 * ({@code u32} 3), the tensor count and the metadata count (both {@code u64}); then each metadata
 * entry as key (a GGUF string: {@code u64} byte length and UTF-8 bytes), value type ({@code u32})
 * and value (arrays carry their element type and a {@code u64} count); then each tensor's info as
 * name, dimension count ({@code u32}), dimensions ({@code u64} each, fastest-varying first, as
 * ggml's {@code ne[]}), ggml type ({@code u32}, 0 = F32) and data offset ({@code u64}, relative to
 * the start of the data section); then padding to the alignment and the tensor data, each tensor
 * starting at a multiple of the alignment. The alignment is 32 unless {@code general.alignment}
 * says otherwise; this writer always uses 32 and records it. Nothing here depends on the time or
 * on the platform: the same calls give the same bytes.
 *
 * <p>Keys are written in the order they were put; a key may be put once. Typical use:
 * <pre>{@code
 * new GgufWriter()
 *         .putString("general.architecture", "llama")
 *         .putUInt32("llama.block_count", 2)
 *         .addTensor("output_norm.weight", new long[] {64}, weights)
 *         .writeTo(file);
 * }</pre>
 *
 * <p>Not thread-safe: build and write from one thread.
 *
 * @see <a href="https://github.com/ggml-org/ggml/blob/master/docs/gguf.md">GGUF specification</a>
 */
public final class GgufWriter {

    /** Byte alignment of the tensor data; GGUF's default. */
    public static final int ALIGNMENT = 32;

    private static final String ALIGNMENT_KEY = "general.alignment";
    private static final int VERSION = 3;
    private static final int GGML_TYPE_F32 = 0;

    private final Map<String, Value> metadata = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();

    public GgufWriter() {
        metadata.put(ALIGNMENT_KEY, new Value(GgufValueType.UINT32, null, List.of(ALIGNMENT)));
    }

    /** Puts a UTF-8 string value. */
    public GgufWriter putString(String key, String value) {
        Objects.requireNonNull(value, "value");
        return put(key, new Value(GgufValueType.STRING, null, List.of(value)));
    }

    /**
     * Puts an unsigned 32-bit value (GGUF type {@code UINT32}), the type llama.cpp expects for
     * sizes, counts and token ids.
     *
     * @throws IllegalArgumentException for a negative value
     */
    public GgufWriter putUInt32(String key, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("GGUF key " + key + ": a UINT32 value must not be negative but was "
                    + value);
        }
        return put(key, new Value(GgufValueType.UINT32, null, List.of(value)));
    }

    /** Puts a 32-bit float value. */
    public GgufWriter putFloat32(String key, float value) {
        return put(key, new Value(GgufValueType.FLOAT32, null, List.of(value)));
    }

    /** Puts a boolean value (one byte, 0 or 1). */
    public GgufWriter putBool(String key, boolean value) {
        return put(key, new Value(GgufValueType.BOOL, null, List.of(value)));
    }

    /** Puts an array of strings, for example a tokenizer's pieces. */
    public GgufWriter putStringArray(String key, List<String> values) {
        return put(key, new Value(GgufValueType.ARRAY, GgufValueType.STRING, List.copyOf(values)));
    }

    /** Puts an array of 32-bit floats, for example a tokenizer's scores. */
    public GgufWriter putFloat32Array(String key, float[] values) {
        List<Object> boxed = new ArrayList<>(values.length);
        for (float v : values) {
            boxed.add(v);
        }
        return put(key, new Value(GgufValueType.ARRAY, GgufValueType.FLOAT32, boxed));
    }

    /** Puts an array of signed 32-bit integers, for example a tokenizer's token types. */
    public GgufWriter putInt32Array(String key, int[] values) {
        List<Object> boxed = new ArrayList<>(values.length);
        for (int v : values) {
            boxed.add(v);
        }
        return put(key, new Value(GgufValueType.ARRAY, GgufValueType.INT32, boxed));
    }

    /**
     * Adds a 32-bit float tensor.
     *
     * @param name  the tensor name llama.cpp looks for, for example {@code blk.0.attn_q.weight}
     * @param shape dimensions fastest-varying first (ggml's {@code ne[]}): a matrix that maps
     *              {@code n_in} to {@code n_out} values is {@code {n_in, n_out}}
     * @param data  the values in storage order; its length must be the product of {@code shape}
     * @throws IllegalArgumentException for a repeated name, a bad shape or a length mismatch
     */
    public GgufWriter addTensor(String name, long[] shape, float[] data) {
        Objects.requireNonNull(name, "name");
        if (shape.length < 1 || shape.length > 4) {
            throw new IllegalArgumentException("tensor " + name + ": ggml tensors have 1 to 4 dimensions but this one has "
                    + shape.length);
        }
        long elements = 1;
        for (long dim : shape) {
            if (dim < 1) {
                throw new IllegalArgumentException("tensor " + name + ": every dimension must be at least 1 but one was "
                        + dim);
            }
            elements = Math.multiplyExact(elements, dim);
        }
        if (elements != data.length) {
            throw new IllegalArgumentException("tensor " + name + ": shape holds " + elements + " values but "
                    + data.length + " were given");
        }
        for (Tensor t : tensors) {
            if (t.name.equals(name)) {
                throw new IllegalArgumentException("tensor " + name + " was already added");
            }
        }
        tensors.add(new Tensor(name, shape.clone(), data.clone()));
        return this;
    }

    /** The whole file as bytes. */
    public byte[] toBytes() {
        Out out = new Out();
        out.bytes(new byte[] {'G', 'G', 'U', 'F'});
        out.u32(VERSION);
        out.u64(tensors.size());
        out.u64(metadata.size());
        for (Map.Entry<String, Value> entry : metadata.entrySet()) {
            out.string(entry.getKey());
            writeValue(out, entry.getValue());
        }
        long offset = 0;
        for (Tensor t : tensors) {
            out.string(t.name);
            out.u32(t.shape.length);
            for (long dim : t.shape) {
                out.u64(dim);
            }
            out.u32(GGML_TYPE_F32);
            out.u64(offset);
            offset = align(offset + 4L * t.data.length);
        }
        out.padTo(ALIGNMENT);
        for (Tensor t : tensors) {
            ByteBuffer buffer = ByteBuffer.allocate(4 * t.data.length).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asFloatBuffer().put(t.data);
            out.bytes(buffer.array());
            out.padTo(ALIGNMENT);
        }
        return out.toByteArray();
    }

    /**
     * Writes the file, replacing {@code file} atomically where the file system allows, so a reader
     * never sees half a model.
     */
    public void writeTo(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, absolute.getFileName().toString(), ".part");
        try {
            Files.write(tmp, toBytes());
            try {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private GgufWriter put(String key, Value value) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.length() > 65535) {
            throw new IllegalArgumentException("a GGUF key must have 1 to 65535 characters but had " + key.length());
        }
        if (key.equals(ALIGNMENT_KEY)) {
            throw new IllegalArgumentException("this writer always aligns to " + ALIGNMENT
                    + " bytes and writes " + ALIGNMENT_KEY + " itself");
        }
        if (metadata.containsKey(key)) {
            throw new IllegalArgumentException("GGUF key " + key + " was already put");
        }
        metadata.put(key, value);
        return this;
    }

    private static void writeValue(Out out, Value value) {
        out.u32(value.type.id);
        if (value.type == GgufValueType.ARRAY) {
            out.u32(value.elementType.id);
            out.u64(value.values.size());
            for (Object element : value.values) {
                writeScalar(out, value.elementType, element);
            }
        } else {
            writeScalar(out, value.type, value.values.getFirst());
        }
    }

    private static void writeScalar(Out out, GgufValueType type, Object value) {
        switch (type) {
            case STRING -> out.string((String) value);
            case UINT32, INT32 -> out.u32((Integer) value);
            case FLOAT32 -> out.u32(Float.floatToRawIntBits((Float) value));
            case BOOL -> out.u8((Boolean) value ? 1 : 0);
            default -> throw new IllegalStateException("this writer does not write " + type);
        }
    }

    private static long align(long offset) {
        return (offset + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** One metadata value; {@code elementType} only for arrays, {@code values} has one entry otherwise. */
    private record Value(GgufValueType type, GgufValueType elementType, List<Object> values) {
    }

    private record Tensor(String name, long[] shape, float[] data) {
    }

    /** Little-endian output. */
    private static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void u8(int v) {
            bytes.write(v);
        }

        void u32(int v) {
            for (int i = 0; i < 4; i++) {
                bytes.write(v >>> (8 * i));
            }
        }

        void u64(long v) {
            for (int i = 0; i < 8; i++) {
                bytes.write((int) (v >>> (8 * i)));
            }
        }

        void string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            u64(utf8.length);
            bytes(utf8);
        }

        void bytes(byte[] b) {
            bytes.writeBytes(b);
        }

        void padTo(int alignment) {
            while (bytes.size() % alignment != 0) {
                bytes.write(0);
            }
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
