package io.lattice.engine.gguf;

/**
 * The metadata value types of GGUF, with the numbers the format stores on disk.
 *
 * @see <a href="https://github.com/ggml-org/ggml/blob/master/docs/gguf.md">GGUF specification</a>
 */
enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    STRING(8, -1),
    ARRAY(9, -1),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    final int id;
    /** Bytes of one value on disk; -1 for the variable-length types. */
    final int size;

    GgufValueType(int id, int size) {
        this.id = id;
        this.size = size;
    }

    static GgufValueType of(int id) {
        for (GgufValueType type : values()) {
            if (type.id == id) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown GGUF value type " + id);
    }
}
