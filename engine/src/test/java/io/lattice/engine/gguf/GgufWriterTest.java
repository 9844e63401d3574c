package io.lattice.engine.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufWriterTest {

    @TempDir
    Path dir;

    @Test
    void tinyModel_sameSeedGivesTheSameBytes() throws IOException {
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        TinyModels.writeRandomLlama(a, 7);
        TinyModels.writeRandomLlama(b, 7);

        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void tinyModel_differentSeedsGiveDifferentWeights() {
        assertThat(TinyModels.randomLlamaBytes(1)).isNotEqualTo(TinyModels.randomLlamaBytes(2));
    }

    @Test
    void tinyModel_isSmall_andItsDataEndsAligned() throws IOException {
        Path file = dir.resolve("nested/dirs/tiny.gguf");
        TinyModels.writeRandomLlama(file, 3);

        assertThat(Files.size(file)).isLessThan(2L << 20);
        assertThat(Files.size(file) % GgufWriter.ALIGNMENT).isZero();
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing).as("no temporary file left behind").containsExactly(file);
        }
    }

    @Test
    void tinyModel_carriesWhatLlamaCppNeeds() throws IOException {
        Path file = dir.resolve("tiny.gguf");
        TinyModels.writeRandomLlama(file, 3);

        GgufMetadata metadata = GgufMetadata.read(file);

        assertThat(metadata.version()).isEqualTo(3);
        assertThat(metadata.string("general.architecture")).hasValue("llama");
        assertThat(metadata.integer("llama.context_length")).hasValue(TinyModels.CONTEXT_LENGTH);
        assertThat(metadata.integer("llama.block_count")).hasValue(2);
        assertThat(metadata.integer("general.alignment")).hasValue(GgufWriter.ALIGNMENT);
        assertThat(metadata.string("tokenizer.ggml.model")).hasValue("llama");
        assertThat(metadata.bool("tokenizer.ggml.add_bos_token")).hasValue(true);
        assertThat(metadata.string("tokenizer.chat_template")).hasValue(TinyModels.CHAT_TEMPLATE);
        long vocabulary = metadata.arrayLength("tokenizer.ggml.tokens").orElseThrow();
        assertThat(metadata.arrayLength("tokenizer.ggml.scores")).hasValue(vocabulary);
        assertThat(metadata.arrayLength("tokenizer.ggml.token_type")).hasValue(vocabulary);
        assertThat(metadata.integer("llama.vocab_size")).hasValue(vocabulary);
        // 2 blocks of 9 tensors, plus embeddings, final norm and output
        assertThat(metadata.tensorCount()).isEqualTo(21);
    }

    @Test
    void writer_laysOutHeaderValuesAndTensorAsTheSpecSays() {
        byte[] bytes = new GgufWriter()
                .putString("k", "v")
                .putFloat32Array("f", new float[] {1.5f})
                .addTensor("t", new long[] {2}, new float[] {0.25f, -2f})
                .toBytes();
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);

        assertThat(new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("GGUF");
        in.position(4);
        assertThat(in.getInt()).as("version").isEqualTo(3);
        assertThat(in.getLong()).as("tensors").isEqualTo(1);
        assertThat(in.getLong()).as("metadata entries, alignment included").isEqualTo(3);
        // the tensor data is the last aligned block: 0.25 and -2 as little-endian floats
        int dataStart = bytes.length - GgufWriter.ALIGNMENT;
        assertThat(in.getFloat(dataStart)).isEqualTo(0.25f);
        assertThat(in.getFloat(dataStart + 4)).isEqualTo(-2f);
    }

    @Test
    void writer_refusesARepeatedKey_andTheAlignmentKey() {
        GgufWriter writer = new GgufWriter().putUInt32("a", 1);

        assertThatThrownBy(() -> writer.putUInt32("a", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a was already put");
        assertThatThrownBy(() -> writer.putUInt32("general.alignment", 64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("always aligns to 32");
    }

    @Test
    void writer_refusesATensorWhoseDataDoesNotFitItsShape() {
        assertThatThrownBy(() -> new GgufWriter().addTensor("w", new long[] {2, 3}, new float[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tensor w: shape holds 6 values but 5 were given");
    }

    @Test
    void writer_refusesANegativeUnsignedValue() {
        assertThatThrownBy(() -> new GgufWriter().putUInt32("n", -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n: a UINT32 value");
    }

    @Test
    void metadata_refusesAFileThatIsNotGguf() throws IOException {
        Path file = dir.resolve("not.gguf");
        Files.writeString(file, "hello, I am text");

        assertThatThrownBy(() -> GgufMetadata.read(file))
                .isInstanceOf(IOException.class).hasMessageContaining("is not a GGUF file");
    }

    @Test
    void metadata_reportsATruncatedFile() throws IOException {
        byte[] whole = new GgufWriter().putStringArray("tokens", List.of("a", "b", "c")).toBytes();
        Path file = dir.resolve("cut.gguf");
        Files.write(file, java.util.Arrays.copyOf(whole, 40));

        assertThatThrownBy(() -> GgufMetadata.read(file))
                .isInstanceOf(IOException.class).hasMessageContaining("truncated");
    }
}
