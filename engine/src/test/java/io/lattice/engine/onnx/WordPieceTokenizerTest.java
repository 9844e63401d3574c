package io.lattice.engine.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lattice.engine.EngineException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The tokenizer against the bundled vocabulary. Expected ids are the vocabulary file's own; each
 * sequence is also what Hugging Face tokenizers (Rust, through DJL) produced for the same
 * tokenizer.json when this was written, except where a test says Lattice differs on purpose.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WordPieceTokenizerTest {

    private static final int CLS = 101;
    private static final int SEP = 102;
    private static final int UNK = 100;

    private WordPieceTokenizer tokenizer;

    @BeforeAll
    void loadBundledVocabulary() throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(MiniLmEngine.TOKENIZER_RESOURCE)) {
            assertThat(in).as("bundled tokenizer on the test classpath").isNotNull();
            tokenizer = WordPieceTokenizer.fromTokenizerJson(in, MiniLmEngine.TOKENIZER_RESOURCE);
        }
    }

    @Test
    void encode_wrapsWordsInClsAndSep() {
        assertThat(tokenizer.encode("hello world", 256)).containsExactly(CLS, 7592, 2088, SEP);
        assertThat(tokenizer.vocabSize()).isEqualTo(30522);
    }

    @Test
    void encode_lowercasesStripsAccentsAndSplitsPunctuation() {
        // hello , world ! naive cafe .
        assertThat(tokenizer.encode("Héllo, Wörld! Naïve café.", 256))
                .containsExactly(CLS, 7592, 1010, 2088, 999, 15743, 7668, 1012, SEP);
    }

    @Test
    void encode_splitsWordsMissingFromTheVocabularyIntoContinuationPieces() {
        assertThat(tokenizer.tokenize("unaffable")).containsExactly("una", "##ffa", "##ble");
        assertThat(tokenizer.encode("unaffable", 256)).containsExactly(CLS, 14477, 20961, 3468, SEP);
        // lattice ##s of energy - aware inference
        assertThat(tokenizer.encode("lattices of energy-aware inference", 256))
                .containsExactly(CLS, 17779, 2015, 1997, 2943, 1011, 5204, 28937, SEP);
    }

    @Test
    void encode_makesEachCjkIdeographAWordOfItsOwn() {
        // 北 and 京 are in the vocabulary; 欢 迎 你 are not, and each becomes [UNK] alone
        assertThat(tokenizer.encode("北京欢迎你", 256)).containsExactly(CLS, 1781, 1755, UNK, UNK, UNK, SEP);
    }

    @Test
    void encode_dropsControlAndFormatCharactersAndSplitsOnUnicodeSpaces() {
        // NUL and the zero-width space vanish (joining their neighbours); tab and no-break space separate
        assertThat(tokenizer.encode("a\u0000b\tc\u00a0d\u200be", 256)).containsExactly(CLS, 11113, 1039, 2139, SEP);
    }

    @Test
    void encode_marksEmojiAndOverlongWordsUnknown() {
        assertThat(tokenizer.encode("😀 ok", 256)).containsExactly(CLS, UNK, 7929, SEP);
        assertThat(tokenizer.encode("x".repeat(101), 256)).containsExactly(CLS, UNK, SEP);
    }

    @Test
    void encode_lowercasesEachCharacterWithoutFinalSigmaRule() {
        // σ ##ι ##σ ##υ ##φ ##ο ##σ: the last Σ becomes σ, not ς, as in Hugging Face tokenizers
        assertThat(tokenizer.encode("ΣΊΣΥΦΟΣ", 256))
                .containsExactly(CLS, 1173, 18199, 29733, 29735, 29736, 29730, 29733, SEP);
    }

    @Test
    void encode_readsSpecialTokenSpellingsInUserTextAsPlainText() {
        // Hugging Face would emit id 102 in the middle; Lattice keeps user text from injecting [SEP]
        assertThat(tokenizer.encode("Hello [SEP] world", 256)).containsExactly(CLS, 7592, 1031, 19802, 1033, 2088, SEP);
    }

    @Test
    void encode_ofEmptyTextIsClsSep() {
        assertThat(tokenizer.encode("", 256)).containsExactly(CLS, SEP);
        assertThat(tokenizer.encode(" \n\t ", 256)).containsExactly(CLS, SEP);
    }

    @Test
    void encode_truncatesOnTheRightAndKeepsSep() {
        String text = "the cat ".repeat(500);
        int[] full = tokenizer.encode(text, 100_000);
        int[] cut = tokenizer.encode(text, 256);

        assertThat(full).hasSize(1002);
        assertThat(cut).hasSize(256);
        assertThat(cut[255]).isEqualTo(SEP);
        assertThat(Arrays.copyOf(cut, 255)).containsExactly(Arrays.copyOf(full, 255));
    }

    @Test
    void encode_refusesALimitWithoutRoomForSpecialTokens() {
        assertThatThrownBy(() -> tokenizer.encode("hi", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2")
                .hasMessageContaining("was 1");
    }

    @Test
    void fromTokenizerJson_refusesACasedOrNonWordPieceTokenizer() {
        String bpe = "{\"model\":{\"type\":\"BPE\",\"vocab\":{}},\"normalizer\":{\"type\":\"BertNormalizer\",\"lowercase\":true}}";
        assertThatThrownBy(() -> WordPieceTokenizer.fromTokenizerJson(stream(bpe), "bpe.json"))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("bpe.json")
                .hasMessageContaining("WordPiece")
                .hasMessageContaining("BPE");
        String cased = "{\"model\":{\"type\":\"WordPiece\",\"vocab\":{\"a\":0}},"
                + "\"normalizer\":{\"type\":\"BertNormalizer\",\"lowercase\":false}}";
        assertThatThrownBy(() -> WordPieceTokenizer.fromTokenizerJson(stream(cased), "cased.json"))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("cased.json")
                .hasMessageContaining("lowercase");
    }

    private static InputStream stream(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }
}
