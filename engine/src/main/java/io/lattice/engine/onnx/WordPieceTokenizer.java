package io.lattice.engine.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.api.Json;
import io.lattice.engine.EngineException;
import java.io.IOException;
import java.io.InputStream;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BERT's uncased WordPiece tokenizer, read from a Hugging Face {@code tokenizer.json} whose model is
 * {@code WordPiece} with a {@code BertNormalizer} and a {@code BertPreTokenizer}.
 *
 * <p>Design note. Text goes through the three stages that BERT's original {@code BasicTokenizer} and
 * {@code WordpieceTokenizer} define, in the order of Hugging Face's {@code tokenizers} (the reference
 * for {@code tokenizer.json}):
 * <ol>
 *   <li>normalise: drop NUL, U+FFFD and control, format and private-use code points (categories Cc,
 *       Cf, Co; tab, newline and carriage return count as whitespace), map every Unicode white space to a
 *       space, surround each CJK ideograph with spaces (BERT's CJK ranges), decompose (NFD) and drop
 *       non-spacing marks (accent stripping), lower-case;</li>
 *   <li>pre-tokenise: split on white space, and make every punctuation character (ASCII punctuation
 *       and Unicode categories P*) a word of its own;</li>
 *   <li>WordPiece: greedy longest-match-first over the vocabulary, pieces after the first carry the
 *       {@code ##} prefix; a word with no match at some position, or longer than
 *       {@code max_input_chars_per_word} code points, becomes {@code [UNK]} as a whole.</li>
 * </ol>
 * {@link #encode} wraps the pieces as {@code [CLS] pieces [SEP]} and truncates on the right.
 * One deliberate difference from Hugging Face: text that spells a special token, such as
 * {@code "[SEP]"}, is tokenised as ordinary text ({@code [ sep ]}), so user input cannot inject
 * control tokens. References: Devlin et al., BERT (2018), {@code tokenization.py}; Hugging Face tokenizers,
 * {@code normalizers/bert.rs}, {@code pre_tokenizers/bert.rs}, {@code models/wordpiece}.
 *
 * <p>Thread-safety: immutable after construction; safe to share.
 */
final class WordPieceTokenizer {

    static final String CLS = "[CLS]";
    static final String SEP = "[SEP]";
    static final String PAD = "[PAD]";

    private final Map<String, Integer> vocab;
    private final String unkToken;
    private final String continuationPrefix;
    private final int maxCharsPerWord;
    private final int clsId;
    private final int sepId;
    private final int unkId;
    private final int padId;

    WordPieceTokenizer(Map<String, Integer> vocab, String unkToken, String continuationPrefix, int maxCharsPerWord) {
        this.vocab = Map.copyOf(vocab);
        this.unkToken = unkToken;
        this.continuationPrefix = continuationPrefix;
        this.maxCharsPerWord = maxCharsPerWord;
        this.clsId = requireToken(CLS);
        this.sepId = requireToken(SEP);
        this.unkId = requireToken(unkToken);
        this.padId = requireToken(PAD);
    }

    /**
     * Reads the vocabulary and WordPiece settings from a {@code tokenizer.json}.
     *
     * @param json   the file's content; read fully, not closed
     * @param source names the file in error messages
     * @throws EngineException when the file cannot be read or is not an uncased BERT WordPiece tokenizer
     */
    static WordPieceTokenizer fromTokenizerJson(InputStream json, String source) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new EngineException("cannot read tokenizer " + source + ": " + e.getMessage(), e);
        }
        JsonNode model = root.path("model");
        if (!"WordPiece".equals(model.path("type").asText())) {
            throw new EngineException("tokenizer " + source + ": model.type must be WordPiece but was '"
                    + model.path("type").asText() + "'");
        }
        JsonNode normalizer = root.path("normalizer");
        // this class always lower-cases and strips accents, so it must refuse a cased vocabulary
        if (!"BertNormalizer".equals(normalizer.path("type").asText()) || !normalizer.path("lowercase").asBoolean()) {
            throw new EngineException("tokenizer " + source + ": only an uncased BertNormalizer (lowercase=true)"
                    + " is supported but the normalizer was " + normalizer);
        }
        JsonNode vocabNode = model.path("vocab");
        if (!vocabNode.isObject() || vocabNode.isEmpty()) {
            throw new EngineException("tokenizer " + source + ": model.vocab must be a non-empty object");
        }
        Map<String, Integer> vocab = new HashMap<>(vocabNode.size() * 2);
        for (Map.Entry<String, JsonNode> e : vocabNode.properties()) {
            vocab.put(e.getKey(), e.getValue().intValue());
        }
        return new WordPieceTokenizer(vocab, model.path("unk_token").asText("[UNK]"),
                model.path("continuing_subword_prefix").asText("##"),
                model.path("max_input_chars_per_word").asInt(100));
    }

    /**
     * The model's input ids for one text: {@code [CLS]}, the WordPiece ids, {@code [SEP]}.
     *
     * @param maxTokens the most ids to return, special tokens included (at least 2); pieces past it
     *                  are dropped from the end
     */
    int[] encode(String text, int maxTokens) {
        if (maxTokens < 2) {
            throw new IllegalArgumentException("maxTokens must leave room for [CLS] and [SEP] (at least 2) but was "
                    + maxTokens);
        }
        List<String> pieces = tokenize(text);
        int kept = Math.min(pieces.size(), maxTokens - 2);
        int[] ids = new int[kept + 2];
        ids[0] = clsId;
        for (int i = 0; i < kept; i++) {
            ids[i + 1] = vocab.get(pieces.get(i));
        }
        ids[kept + 1] = sepId;
        return ids;
    }

    /** The WordPiece tokens of a text, without special tokens and without truncation. */
    List<String> tokenize(String text) {
        List<String> pieces = new ArrayList<>();
        for (String word : preTokenize(normalize(text))) {
            wordPiece(word, pieces);
        }
        return pieces;
    }

    /** The id of a vocabulary token, or -1 when the vocabulary lacks it. */
    int idOf(String token) {
        return vocab.getOrDefault(token, -1);
    }

    int padId() {
        return padId;
    }

    int vocabSize() {
        return vocab.size();
    }

    static String normalize(String text) {
        StringBuilder cleaned = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                return;
            }
            if (isWhitespace(cp)) {
                cleaned.append(' ');
            } else if (isCjk(cp)) {
                cleaned.append(' ').appendCodePoint(cp).append(' ');
            } else {
                cleaned.appendCodePoint(cp);
            }
        });
        String decomposed = Normalizer.normalize(cleaned, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed.codePoints().forEach(cp -> {
            if (Character.getType(cp) != Character.NON_SPACING_MARK) {
                // per code point, as tokenizers does: no context-dependent rules such as final sigma
                out.appendCodePoint(Character.toLowerCase(cp));
            }
        });
        return out.toString();
    }

    static List<String> preTokenize(String normalized) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        normalized.codePoints().forEach(cp -> {
            if (isWhitespace(cp)) {
                flush(word, words);
            } else if (isPunctuation(cp)) {
                flush(word, words);
                words.add(Character.toString(cp));
            } else {
                word.appendCodePoint(cp);
            }
        });
        flush(word, words);
        return words;
    }

    private void wordPiece(String word, List<String> out) {
        int[] cps = word.codePoints().toArray();
        if (cps.length > maxCharsPerWord) {
            out.add(unkToken);
            return;
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < cps.length) {
            String match = null;
            int end = cps.length;
            while (end > start) {
                String candidate = new String(cps, start, end - start);
                if (start > 0) {
                    candidate = continuationPrefix + candidate;
                }
                if (vocab.containsKey(candidate)) {
                    match = candidate;
                    break;
                }
                end--;
            }
            if (match == null) {
                out.add(unkToken);
                return;
            }
            pieces.add(match);
            start = end;
        }
        out.addAll(pieces);
    }

    private int requireToken(String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new EngineException("tokenizer vocabulary lacks the special token " + token);
        }
        return id;
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (!word.isEmpty()) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    /** Unicode White_Space: tab to carriage return, NEL, and the separators Zs, Zl, Zp. */
    private static boolean isWhitespace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || Character.isSpaceChar(cp);
    }

    private static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int type = Character.getType(cp);
        // unassigned code points (Cn) stay, as in tokenizers; they end up as [UNK]
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                || type == Character.SURROGATE;
    }

    private static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            // BERT counts all non-alphanumeric ASCII as punctuation, including $ + < = > ^ ` | ~
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** The CJK Unified Ideographs blocks of BERT's {@code _is_chinese_char}; not Hangul, Hiragana or Katakana. */
    private static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
