package io.lattice.engine.gguf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tiny random-weight models in GGUF, for tests and the demo: no generative weights can be
 * downloaded where Lattice is built, so it makes its own. Their output is noise; what they prove is
 * that the whole path (loading, tokenizing, chat templating, sampling, streaming, counting) works
 * with the real llama.cpp.
 *
 * <p>Design note. {@link #writeRandomLlama} writes a llama-architecture model: embedding width 64,
 * 2 blocks, 4 attention heads (head size 16, full RoPE), feed-forward width 128, RMS-norm epsilon
 * 1e-5, trained context {@value #CONTEXT_LENGTH}, all weights F32 (about 0.7 MB). The vocabulary is a
 * SentencePiece one ({@code tokenizer.ggml.model = "llama"}) with scores and token types:
 * {@code <unk>} 0, {@code <s>} 1 (BOS, added to every prompt), {@code </s>} 2 (EOS),
 * {@code <|im_start|>} 3 and {@code <|im_end|>} 4 (control tokens for the ChatML-style
 * {@link #CHAT_TEMPLATE}; llama.cpp treats {@code <|im_end|>} as end of turn), the 256 byte
 * tokens {@code <0x00>}..{@code <0xFF>} (so any text tokenizes), {@code ▁} (space), the printable
 * ASCII characters, and the prefixes of a few hundred common English words, scored so that
 * SentencePiece's greedy merging builds whole words.
 *
 * <p>The weights are uniform noise from a SplitMix64 stream seeded by {@code seed} (a fixed
 * algorithm, so the same seed gives the same bytes on every JVM), shaped in one respect: dimension
 * 0 of every token embedding is 1 and no block writes to it, and the output projection weighs that
 * dimension positively for printable pieces and negatively for bytes and control tokens. So the
 * model "prefers" to babble printable word pieces, which keeps tests about stop strings and
 * streaming readable, and practically never ends a turn by itself.
 */
public final class TinyModels {

    /** The model name the demo and tests serve the tiny model under. */
    public static final String MODEL_ID = "tiny-random-llama";

    /** The trained context length written into the model, in tokens. */
    public static final int CONTEXT_LENGTH = 512;

    /** A ChatML-style Jinja chat template, as many real models ship. */
    public static final String CHAT_TEMPLATE = "{% for message in messages %}"
            + "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
            + "{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private static final int EMBEDDING = 64;
    private static final int BLOCKS = 2;
    private static final int HEADS = 4;
    private static final int FEED_FORWARD = 128;

    /**
     * Output weight of {@code </s>} on the constant dimension: with 1.25 about one answer in ten ends by
     * itself within 64 tokens (1 is about one in twenty, 1.5 one in two); printable pieces have 1.
     */
    private static final float END_OF_TEXT_WEIGHT = 1.25f;

    private static final int TYPE_NORMAL = 1;
    private static final int TYPE_UNKNOWN = 2;
    private static final int TYPE_CONTROL = 3;
    private static final int TYPE_BYTE = 6;

    private static final String SPACE = "\u2581";

    private static final String WORDS = """
            the of and to a in is it you that he was for on are with as his they be at one have this from or
            had by hot word but what some we can out other were all there when up use your how said an each
            she which do their time if will way about many then them write would like so these her long make
            thing see him two has look more day could go come did number sound no most people my over know
            water than call first who may down side been now find any new work part take get place made live
            where after back little only round man year came show every good me give our under name very
            through just form sentence great think say help low line differ turn cause much mean before move
            right boy old too same tell does set three want air well also play small end put home read hand
            port large spell add even land here must big high such follow act why ask men change went light
            kind off need house picture try us again animal point mother world near build self earth father
            energy power solar wind grid heat node mesh lattice token model carbon watt joule price green
            """;

    private TinyModels() {
    }

    /**
     * Writes the tiny random llama model to {@code file} (replacing it atomically), creating parent
     * directories. Deterministic: the same seed always gives the same bytes.
     */
    public static void writeRandomLlama(Path file, long seed) throws IOException {
        randomLlama(seed).writeTo(file);
    }

    /** The tiny random llama model as GGUF bytes; what {@link #writeRandomLlama} writes. */
    public static byte[] randomLlamaBytes(long seed) {
        return randomLlama(seed).toBytes();
    }

    private static GgufWriter randomLlama(long seed) {
        Vocabulary vocab = Vocabulary.build();
        int n = vocab.size();
        SplitMix64 random = new SplitMix64(seed);

        GgufWriter gguf = new GgufWriter()
                .putString("general.architecture", "llama")
                .putString("general.name", MODEL_ID)
                .putUInt32("general.file_type", 0) // all F32
                .putUInt32("llama.context_length", CONTEXT_LENGTH)
                .putUInt32("llama.embedding_length", EMBEDDING)
                .putUInt32("llama.block_count", BLOCKS)
                .putUInt32("llama.feed_forward_length", FEED_FORWARD)
                .putUInt32("llama.attention.head_count", HEADS)
                .putUInt32("llama.attention.head_count_kv", HEADS)
                .putUInt32("llama.rope.dimension_count", EMBEDDING / HEADS)
                .putFloat32("llama.rope.freq_base", 10000f)
                .putFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .putUInt32("llama.vocab_size", n)
                .putString("tokenizer.ggml.model", "llama")
                .putStringArray("tokenizer.ggml.tokens", vocab.pieces())
                .putFloat32Array("tokenizer.ggml.scores", vocab.scores())
                .putInt32Array("tokenizer.ggml.token_type", vocab.types())
                .putUInt32("tokenizer.ggml.unknown_token_id", 0)
                .putUInt32("tokenizer.ggml.bos_token_id", 1)
                .putUInt32("tokenizer.ggml.eos_token_id", 2)
                .putBool("tokenizer.ggml.add_bos_token", true)
                .putBool("tokenizer.ggml.add_eos_token", false)
                .putString("tokenizer.chat_template", CHAT_TEMPLATE);

        // token_embd: {EMBEDDING, n}; dimension 0 carries a constant 1 (see the class comment)
        float[] embeddings = random.uniform(EMBEDDING * n, 0.05f);
        for (int t = 0; t < n; t++) {
            embeddings[t * EMBEDDING] = 1f;
        }
        gguf.addTensor("token_embd.weight", new long[] {EMBEDDING, n}, embeddings);

        float attention = 0.5f / (float) Math.sqrt(EMBEDDING);
        for (int b = 0; b < BLOCKS; b++) {
            String p = "blk." + b + ".";
            gguf.addTensor(p + "attn_norm.weight", new long[] {EMBEDDING}, ones(EMBEDDING));
            gguf.addTensor(p + "attn_q.weight", new long[] {EMBEDDING, EMBEDDING},
                    random.uniform(EMBEDDING * EMBEDDING, attention));
            gguf.addTensor(p + "attn_k.weight", new long[] {EMBEDDING, EMBEDDING},
                    random.uniform(EMBEDDING * EMBEDDING, attention));
            gguf.addTensor(p + "attn_v.weight", new long[] {EMBEDDING, EMBEDDING},
                    random.uniform(EMBEDDING * EMBEDDING, attention));
            gguf.addTensor(p + "attn_output.weight", new long[] {EMBEDDING, EMBEDDING},
                    leaveDimensionZero(random.uniform(EMBEDDING * EMBEDDING, attention), EMBEDDING));
            gguf.addTensor(p + "ffn_norm.weight", new long[] {EMBEDDING}, ones(EMBEDDING));
            gguf.addTensor(p + "ffn_gate.weight", new long[] {EMBEDDING, FEED_FORWARD},
                    random.uniform(EMBEDDING * FEED_FORWARD, 0.1f));
            gguf.addTensor(p + "ffn_up.weight", new long[] {EMBEDDING, FEED_FORWARD},
                    random.uniform(EMBEDDING * FEED_FORWARD, 0.1f));
            gguf.addTensor(p + "ffn_down.weight", new long[] {FEED_FORWARD, EMBEDDING},
                    leaveDimensionZero(random.uniform(FEED_FORWARD * EMBEDDING, 0.1f), FEED_FORWARD));
        }
        gguf.addTensor("output_norm.weight", new long[] {EMBEDDING}, ones(EMBEDDING));

        float[] output = random.uniform(EMBEDDING * n, 0.5f);
        for (int t = 0; t < n; t++) {
            output[t * EMBEDDING] = switch (vocab.typeList().get(t)) {
                case TYPE_NORMAL -> 1f;
                case TYPE_CONTROL -> t == 2 ? END_OF_TEXT_WEIGHT : t == 4 ? 0f : -2f;
                default -> -2f;
            };
        }
        gguf.addTensor("output.weight", new long[] {EMBEDDING, n}, output);
        return gguf;
    }

    /** Zeroes output row 0 of a {@code {in, EMBEDDING}} matrix so the block never writes dimension 0. */
    private static float[] leaveDimensionZero(float[] matrix, int in) {
        for (int i = 0; i < in; i++) {
            matrix[i] = 0f;
        }
        return matrix;
    }

    private static float[] ones(int length) {
        float[] values = new float[length];
        Arrays.fill(values, 1f);
        return values;
    }

    /** The vocabulary, in id order. */
    private record Vocabulary(List<String> pieces, List<Integer> typeList, List<Float> scoreList) {

        static Vocabulary build() {
            Map<String, int[]> entries = new LinkedHashMap<>(); // piece -> {type}
            List<Float> scores = new ArrayList<>();
            add(entries, scores, "<unk>", TYPE_UNKNOWN, 0f);
            add(entries, scores, "<s>", TYPE_CONTROL, 0f);
            add(entries, scores, "</s>", TYPE_CONTROL, 0f);
            add(entries, scores, "<|im_start|>", TYPE_CONTROL, 0f);
            add(entries, scores, "<|im_end|>", TYPE_CONTROL, 0f);
            for (int b = 0; b < 256; b++) {
                add(entries, scores, String.format("<0x%02X>", b), TYPE_BYTE, 0f);
            }
            add(entries, scores, SPACE, TYPE_NORMAL, -1000f);
            for (char c = 0x21; c < 0x7F; c++) {
                add(entries, scores, String.valueOf(c), TYPE_NORMAL, -1000f);
            }
            // every prefix of "▁word", so SentencePiece's pairwise merges can grow the whole word;
            // longer pieces score higher, so they win the merge order
            for (String word : WORDS.strip().split("\\s+")) {
                String piece = SPACE + word;
                for (int end = 2; end <= piece.length(); end++) {
                    String prefix = piece.substring(0, end);
                    add(entries, scores, prefix, TYPE_NORMAL, -100f + end);
                }
            }
            List<String> pieces = new ArrayList<>(entries.keySet());
            List<Integer> types = new ArrayList<>();
            for (int[] type : entries.values()) {
                types.add(type[0]);
            }
            return new Vocabulary(List.copyOf(pieces), List.copyOf(types), List.copyOf(scores));
        }

        private static void add(Map<String, int[]> entries, List<Float> scores, String piece, int type, float score) {
            if (entries.putIfAbsent(piece, new int[] {type}) == null) {
                scores.add(score);
            }
        }

        int size() {
            return pieces.size();
        }

        float[] scores() {
            float[] values = new float[scoreList.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = scoreList.get(i);
            }
            return values;
        }

        int[] types() {
            return typeList.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /**
     * SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014):
     * written out here rather than taken from the JDK so the weights never change with the JVM.
     */
    private static final class SplitMix64 {
        private long state;

        SplitMix64(long seed) {
            this.state = seed;
        }

        long next() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** {@code count} values uniform in [-bound, bound). */
        float[] uniform(int count, float bound) {
            float[] values = new float[count];
            for (int i = 0; i < count; i++) {
                double unit = (next() >>> 11) * 0x1.0p-53; // [0, 1)
                values[i] = (float) ((unit * 2 - 1) * bound);
            }
            return values;
        }
    }
}
