package io.lattice.engine.llama;

import io.lattice.engine.gguf.GgufMetadata;
import java.util.Set;

/**
 * How many special tokens (BOS, EOS) llama.cpp adds when it tokenizes a prompt for generation, so
 * that prompt token counts are the ones the model really evaluates.
 *
 * <p>Why this is computed here: the binding's {@code encode} tokenizes without special tokens while
 * its completion request tokenizes with them, and it reports neither count. The rule mirrors the
 * vocabulary loader of the llama.cpp the binding bundles (build 4916): the GGUF keys
 * {@code tokenizer.ggml.add_bos_token} and {@code tokenizer.ggml.add_eos_token} win where present;
 * otherwise SentencePiece ({@code llama}) and WordPiece ({@code bert}) vocabularies add BOS, byte
 * BPE ({@code gpt2}) ones add it only for a few pre-tokenizers (Llama 3, Falcon 3, Tekken,
 * Chameleon), Unigram ({@code t5}) ones add EOS, and the rest add nothing.
 */
final class SpecialTokens {

    private static final Set<String> BPE_PRE_TOKENIZERS_WITH_BOS =
            Set.of("llama3", "llama-v3", "llama-bpe", "falcon3", "tekken", "chameleon");

    private SpecialTokens() {
    }

    /** Special tokens added to every generation prompt: 0, 1 or 2. */
    static int addedToPrompt(GgufMetadata metadata) {
        String model = metadata.string("tokenizer.ggml.model").orElse("");
        String pre = metadata.string("tokenizer.ggml.pre").orElse("");
        boolean bos = switch (model) {
            case "llama", "bert" -> true;
            case "gpt2" -> BPE_PRE_TOKENIZERS_WITH_BOS.contains(pre);
            default -> false;
        };
        boolean eos = model.equals("t5");
        bos = metadata.bool("tokenizer.ggml.add_bos_token").orElse(bos);
        eos = metadata.bool("tokenizer.ggml.add_eos_token").orElse(eos);
        return (bos ? 1 : 0) + (eos ? 1 : 0);
    }
}
