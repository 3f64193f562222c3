package org.kinora.inference.internal.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference for Kinora's MiniLM sentence embeddings, built without DJL: a plain BERT WordPiece tokenizer written from
 * the tokenizer.json's own settings (BertNormalizer with lower-casing and accent stripping, BertPreTokenizer, WordPiece
 * with "##" continuations, [CLS] ... [SEP], at most 256 pieces) and ONNX Runtime's own Java API (OrtEnvironment,
 * OrtSession), one sentence per run (no padding), mean pooling over the tokens and L2 normalization in double precision,
 * as sentence-transformers' Pooling(mean) + Normalize modules do.
 *
 * <p>Writes {@code minilm-l6-v2-reference.json}: per sentence the text, the token ids and the 384 floats. Run it as the
 * README in {@code src/test/resources/onnx-reference/} says.
 */
public final class OrtReference {

    /** The sentences of the fixture: four paraphrase pairs, one with accents, digits and punctuation, one too long. */
    static final List<String> SENTENCES = List.of(
            "A man is playing a guitar.",
            "Someone plays the guitar.",
            "The stock market fell today.",
            "Share prices dropped sharply this afternoon.",
            "A woman is slicing an onion.",
            "Someone is cutting vegetables in the kitchen.",
            "The cat sleeps on the warm windowsill.",
            "A kitten is napping in the sun by the window.",
            "Café owners in Zürich don't open before 9 a.m.!",
            longSentence());

    static final int MAX_TOKENS = 256;

    /** 400 words (over 256 word pieces): the model sees only its first 254 pieces between [CLS] and [SEP]. */
    static String longSentence() {
        StringBuilder b = new StringBuilder();
        String[] words = {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dogs", "near", "riverbanks"};
        for (int i = 0; i < 400; i++) {
            b.append(i == 0 ? "" : " ").append(words[(i * 7) % words.length]);
        }
        return b.append('.').toString();
    }

    private OrtReference() {
    }

    /** Arguments: [model folder (default: the test-models minilm-l6-v2 folder)] [output json]. */
    public static void main(String[] args) throws Exception {
        Path folder = args.length > 0 ? Path.of(args[0]) : MiniLm.folder();
        Path out = args.length > 1 ? Path.of(args[1])
                : Path.of("src/test/resources/onnx-reference/minilm-l6-v2-reference.json");
        Path onnx = folder.resolve(MiniLm.ONNX);
        Path tokenizerJson = folder.resolve(MiniLm.TOKENIZER);
        WordPiece tokenizer = WordPiece.read(tokenizerJson);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<Map<String, Object>> rows = new ArrayList<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(onnx.toString(), options)) {
            for (String sentence : SENTENCES) {
                long[] ids = tokenizer.encode(sentence);
                float[] embedding = embed(env, session, ids);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("text", sentence);
                row.put("ids", ids);
                row.put("embedding", embedding);
                rows.add(row);
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("generator", OrtReference.class.getName() + " (ONNX Runtime Java API " + env.getVersion()
                + ", independent WordPiece tokenizer, one sentence per run, no padding)");
        doc.put("model", MiniLm.ONNX);
        doc.put("modelSha256", sha256(onnx));
        doc.put("tokenizer", MiniLm.TOKENIZER);
        doc.put("tokenizerSha256", sha256(tokenizerJson));
        doc.put("maxTokens", MAX_TOKENS);
        doc.put("sentences", rows);
        Gson gson = new GsonBuilder().disableHtmlEscaping().create();
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, gson.toJson(doc) + "\n", StandardCharsets.UTF_8);
        System.out.println("wrote " + rows.size() + " reference embeddings to " + out.toAbsolutePath());
    }

    private static float[] embed(OrtEnvironment env, OrtSession session, long[] ids) throws OrtException {
        int n = ids.length;
        long[][] inputIds = {ids};
        long[][] mask = {filled(n, 1)};
        long[][] types = {filled(n, 0)};
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            for (String name : session.getInputNames()) {
                long[][] values = switch (name) {
                    case "input_ids" -> inputIds;
                    case "attention_mask" -> mask;
                    case "token_type_ids" -> types;
                    default -> throw new IllegalStateException("unexpected graph input " + name);
                };
                feed.put(name, OnnxTensor.createTensor(env, values));
            }
            try (OrtSession.Result result = session.run(feed)) {
                float[][][] states = (float[][][]) result.get("last_hidden_state").orElseThrow().getValue();
                int h = states[0][0].length;
                double[] sum = new double[h];
                for (float[] token : states[0]) {
                    for (int j = 0; j < h; j++) {
                        sum[j] += token[j];
                    }
                }
                double norm = 0;
                for (int j = 0; j < h; j++) {
                    sum[j] /= n;
                    norm += sum[j] * sum[j];
                }
                norm = Math.max(Math.sqrt(norm), 1e-12);
                float[] e = new float[h];
                for (int j = 0; j < h; j++) {
                    e[j] = (float) (sum[j] / norm);
                }
                return e;
            }
        } finally {
            for (OnnxTensor t : feed.values()) {
                t.close();
            }
        }
    }

    private static long[] filled(int n, long v) {
        long[] a = new long[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                d.update(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** BERT's uncased WordPiece tokenizer, from a tokenizer.json vocabulary (kept independent of DJL's Rust tokenizer). */
    static final class WordPiece {
        private final Map<String, Long> vocab;
        private final long cls;
        private final long sep;
        private final long unk;

        private WordPiece(Map<String, Long> vocab) {
            this.vocab = vocab;
            this.cls = vocab.get("[CLS]");
            this.sep = vocab.get("[SEP]");
            this.unk = vocab.get("[UNK]");
        }

        static WordPiece read(Path tokenizerJson) throws IOException {
            try (Reader r = Files.newBufferedReader(tokenizerJson, StandardCharsets.UTF_8)) {
                JsonObject model = new Gson().fromJson(r, JsonObject.class).getAsJsonObject("model");
                if (!"WordPiece".equals(model.get("type").getAsString())) {
                    throw new IOException(tokenizerJson + " is not a WordPiece tokenizer");
                }
                Map<String, Long> vocab = new HashMap<>();
                model.getAsJsonObject("vocab").entrySet().forEach(e -> vocab.put(e.getKey(), e.getValue().getAsLong()));
                return new WordPiece(vocab);
            }
        }

        long[] encode(String text) {
            List<Long> ids = new ArrayList<>();
            ids.add(cls);
            for (String word : words(normalize(text))) {
                for (long id : pieces(word)) {
                    if (ids.size() < MAX_TOKENS - 1) {
                        ids.add(id);
                    }
                }
            }
            ids.add(sep);
            return ids.stream().mapToLong(Long::longValue).toArray();
        }

        /** BertNormalizer: clean text, spaces around CJK ideographs, lower case, strip accents (NFD, drop marks). */
        private static String normalize(String text) {
            StringBuilder b = new StringBuilder();
            text.codePoints().forEach(c -> {
                if (c == 0 || c == 0xFFFD || (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r')) {
                    return;
                }
                if (Character.isWhitespace(c) || Character.getType(c) == Character.SPACE_SEPARATOR) {
                    b.append(' ');
                } else if (isCjk(c)) {
                    b.append(' ').appendCodePoint(c).append(' ');
                } else {
                    b.appendCodePoint(c);
                }
            });
            String lower = b.toString().toLowerCase(java.util.Locale.ROOT);
            String nfd = Normalizer.normalize(lower, Normalizer.Form.NFD);
            StringBuilder out = new StringBuilder();
            nfd.codePoints().filter(c -> Character.getType(c) != Character.NON_SPACING_MARK).forEach(out::appendCodePoint);
            return out.toString();
        }

        /** BertPreTokenizer: split on whitespace, and every punctuation character is a word of its own. */
        private static List<String> words(String text) {
            List<String> words = new ArrayList<>();
            StringBuilder w = new StringBuilder();
            for (int i = 0; i < text.length(); ) {
                int c = text.codePointAt(i);
                i += Character.charCount(c);
                if (Character.isWhitespace(c)) {
                    flush(words, w);
                } else if (isPunctuation(c)) {
                    flush(words, w);
                    words.add(new String(Character.toChars(c)));
                } else {
                    w.appendCodePoint(c);
                }
            }
            flush(words, w);
            return words;
        }

        private static void flush(List<String> words, StringBuilder w) {
            if (w.length() > 0) {
                words.add(w.toString());
                w.setLength(0);
            }
        }

        /** Greedy longest-match-first word pieces; a word with an unknown piece, or over 100 characters, is [UNK]. */
        private List<Long> pieces(String word) {
            if (word.codePointCount(0, word.length()) > 100) {
                return List.of(unk);
            }
            List<Long> out = new ArrayList<>();
            int start = 0;
            while (start < word.length()) {
                int end = word.length();
                Long found = null;
                while (start < end) {
                    String piece = (start > 0 ? "##" : "") + word.substring(start, end);
                    found = vocab.get(piece);
                    if (found != null) {
                        break;
                    }
                    end = word.offsetByCodePoints(end, -1);
                }
                if (found == null) {
                    return List.of(unk);
                }
                out.add(found);
                start = end;
            }
            return out;
        }

        private static boolean isPunctuation(int c) {
            if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) {
                return true;
            }
            int t = Character.getType(c);
            return t == Character.CONNECTOR_PUNCTUATION || t == Character.DASH_PUNCTUATION || t == Character.START_PUNCTUATION
                    || t == Character.END_PUNCTUATION || t == Character.INITIAL_QUOTE_PUNCTUATION
                    || t == Character.FINAL_QUOTE_PUNCTUATION || t == Character.OTHER_PUNCTUATION;
        }

        private static boolean isCjk(int c) {
            return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                    || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF)
                    || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
        }
    }
}
