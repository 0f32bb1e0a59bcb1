package dev.rlhf.engine.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The vocabulary a GGUF file carries ({@code tokenizer.ggml.*}) rewritten as a Hugging Face
 * {@code tokenizer.json}, built the way transformers builds it from the same file
 * ({@code gguf_tokenizer_mapping.byte_level_tokenizer}): byte-level BPE, tokens respelled into the
 * byte alphabet when they are not in it, control tokens (type 3) added as special tokens,
 * user-defined tokens (type 4) as plain added tokens, the split regex chosen by
 * {@code tokenizer.ggml.pre}. SentencePiece vocabularies ({@code tokenizer.ggml.model = llama})
 * become transformers' {@code LlamaTokenizer}: BPE with byte fallback, merges recovered from the
 * token scores ({@code generate_merges}), Metaspace pre-tokenizer, BOS added unless the file says
 * otherwise.
 */
public final class GgufVocabulary {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int UNKNOWN = 2;
    private static final int CONTROL = 3;
    private static final int USER_DEFINED = 4;

    private static final String LLAMA3_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String QWEN2_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final Map<String, String> SPLITS = Map.ofEntries(
            Map.entry("llama3", LLAMA3_SPLIT), Map.entry("llama-v3", LLAMA3_SPLIT), Map.entry("llama-bpe", LLAMA3_SPLIT),
            Map.entry("falcon3", LLAMA3_SPLIT), Map.entry("smaug-bpe", LLAMA3_SPLIT), Map.entry("dbrx", LLAMA3_SPLIT),
            Map.entry("qwen2", QWEN2_SPLIT), Map.entry("deepseek-r1-qwen", QWEN2_SPLIT), Map.entry("megrez", QWEN2_SPLIT));

    private GgufVocabulary() {
    }

    /** The tokenizer.json text for a GGUF file's metadata; fails naming the key that is missing or unsupported. */
    public static String tokenizerJson(Map<String, Object> metadata) {
        String model = (String) metadata.get("tokenizer.ggml.model");
        List<String> tokens = strings(metadata, "tokenizer.ggml.tokens");
        List<?> types = (List<?>) metadata.getOrDefault("tokenizer.ggml.token_type", List.of());
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        root.putNull("normalizer");
        boolean addBos;
        if ("gpt2".equals(model)) {
            byteLevel(root, metadata, tokens, types, added);
            addBos = Boolean.TRUE.equals(metadata.get("tokenizer.ggml.add_bos_token"));
        } else if ("llama".equals(model)) {
            sentencePiece(root, metadata, tokens, types, added);
            addBos = !Boolean.FALSE.equals(metadata.get("tokenizer.ggml.add_bos_token"));   // llama.cpp's default: add
        } else {
            throw new IllegalArgumentException("tokenizer.ggml.model = " + model
                    + ": only byte-level BPE (gpt2) and SentencePiece (llama) vocabularies can be converted to tokenizer.json");
        }
        boolean addEos = Boolean.TRUE.equals(metadata.get("tokenizer.ggml.add_eos_token"));
        root.set("post_processor", postProcessor(metadata, tokens, addBos, addEos));
        // field order as tokenizers writes it: decoder and model last
        root.set("decoder", root.remove("decoder"));
        root.set("model", root.remove("model"));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void byteLevel(ObjectNode root, Map<String, Object> metadata, List<String> tokens, List<?> types,
                                  ArrayNode added) {
        List<String> merges = strings(metadata, "tokenizer.ggml.merges");
        Map<Integer, Character> alphabet = ByteLevelAlphabet.byteToChar();
        Set<Character> spelled = new HashSet<>(alphabet.values());
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) vocab.put(respell(tokens.get(i), alphabet, spelled), i);
        for (int i = 0; i < types.size() && i < tokens.size(); i++) {
            int type = ((Number) types.get(i)).intValue();
            String token = tokens.get(i);
            if (type == CONTROL && inAlphabet(token, spelled)) addToken(added, vocab.get(token), token, true);
            else if (type == USER_DEFINED && vocab.containsKey(token)) addToken(added, vocab.get(token), token, false);
        }
        String split = SPLITS.get((String) metadata.get("tokenizer.ggml.pre"));
        if (split == null) {
            root.set("pre_tokenizer", byteLevel(true));
        } else {
            ObjectNode seq = root.putObject("pre_tokenizer").put("type", "Sequence");
            ArrayNode list = seq.putArray("pretokenizers");
            ObjectNode s = list.addObject().put("type", "Split");
            s.putObject("pattern").put("Regex", split);
            s.put("behavior", "Isolated").put("invert", false);
            list.add(byteLevel(false));
        }
        root.set("decoder", byteLevel(true).put("add_prefix_space", true));
        ObjectNode bpe = root.putObject("model");
        bpe.put("type", "BPE").putNull("dropout");
        bpe.putNull("unk_token");
        bpe.put("continuing_subword_prefix", "").put("end_of_word_suffix", "").put("fuse_unk", false)
                .put("byte_fallback", false).put("ignore_merges", false);
        ObjectNode v = bpe.putObject("vocab");
        vocab.forEach(v::put);
        ArrayNode m = bpe.putArray("merges");
        for (String merge : merges) {
            String[] pair = merge.split(" ", -1);
            if (pair.length != 2) throw new IllegalArgumentException("tokenizer.ggml.merges entry '" + merge + "' is not a pair");
            m.addArray().add(pair[0]).add(pair[1]);
        }
    }

    private static void sentencePiece(ObjectNode root, Map<String, Object> metadata, List<String> tokens, List<?> types,
                                      ArrayNode added) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) vocab.put(tokens.get(i), i);
        for (int i = 0; i < types.size() && i < tokens.size(); i++) {
            int type = ((Number) types.get(i)).intValue();
            String token = tokens.get(i);
            if (type == UNKNOWN || type == CONTROL) addToken(added, vocab.get(token), token, true);
            else if (type == USER_DEFINED) addToken(added, vocab.get(token), token, false);
        }
        root.putObject("pre_tokenizer").put("type", "Metaspace").put("replacement", "\u2581")
                .put("prepend_scheme", "first").put("split", false);
        ObjectNode decoder = root.putObject("decoder").put("type", "Sequence");
        ArrayNode steps = decoder.putArray("decoders");
        ObjectNode replace = steps.addObject().put("type", "Replace");
        replace.putObject("pattern").put("String", "\u2581");
        replace.put("content", " ");
        steps.addObject().put("type", "ByteFallback");
        steps.addObject().put("type", "Fuse");
        steps.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        ObjectNode bpe = root.putObject("model");
        bpe.put("type", "BPE").putNull("dropout");
        bpe.putNull("unk_token");
        bpe.putNull("continuing_subword_prefix");
        bpe.putNull("end_of_word_suffix");
        bpe.put("fuse_unk", true).put("byte_fallback", true).put("ignore_merges", false);
        ObjectNode v = bpe.putObject("vocab");
        vocab.forEach(v::put);
        ArrayNode m = bpe.putArray("merges");
        List<String[]> merges = metadata.containsKey("tokenizer.ggml.merges")
                ? strings(metadata, "tokenizer.ggml.merges").stream().map(x -> x.split(" ", -1)).toList()
                : SentencePieceMerges.fromScores(tokens, reals(metadata, "tokenizer.ggml.scores"), vocab);
        for (String[] pair : merges) m.addArray().add(pair[0]).add(pair[1]);
    }

    /** The special token strings named by the file's bos/eos/padding/unknown ids. */
    public static SpecialTokens specialTokens(Map<String, Object> metadata) {
        List<String> tokens = strings(metadata, "tokenizer.ggml.tokens");
        return new SpecialTokens(token(metadata, tokens, "tokenizer.ggml.bos_token_id"),
                token(metadata, tokens, "tokenizer.ggml.eos_token_id"),
                token(metadata, tokens, "tokenizer.ggml.padding_token_id"),
                token(metadata, tokens, "tokenizer.ggml.unknown_token_id"));
    }

    private static String token(Map<String, Object> metadata, List<String> tokens, String key) {
        Object id = metadata.get(key);
        if (id == null) return null;
        int i = ((Number) id).intValue();
        if (i < 0 || i >= tokens.size()) throw new IllegalArgumentException(key + " = " + i + " is outside the vocabulary of " + tokens.size());
        return tokens.get(i);
    }

    /** BOS before and EOS after each sequence, as transformers' update_post_processor writes them. */
    private static ObjectNode postProcessor(Map<String, Object> metadata, List<String> tokens, boolean addBos, boolean addEos) {
        ObjectNode p = JSON.createObjectNode().put("type", "TemplateProcessing");
        String bos = addBos ? token(metadata, tokens, "tokenizer.ggml.bos_token_id") : null;
        String eos = addEos ? token(metadata, tokens, "tokenizer.ggml.eos_token_id") : null;
        ArrayNode single = p.putArray("single"), pair = p.putArray("pair");
        for (int seq = 0; seq < 2; seq++) {
            for (ArrayNode template : seq == 0 ? List.of(single, pair) : List.of(pair)) {
                if (bos != null) template.addObject().putObject("SpecialToken").put("id", bos).put("type_id", seq);
                template.addObject().putObject("Sequence").put("id", seq == 0 ? "A" : "B").put("type_id", seq);
                if (eos != null) template.addObject().putObject("SpecialToken").put("id", eos).put("type_id", seq);
            }
        }
        ObjectNode specials = p.putObject("special_tokens");
        for (String t : new String[] {bos, eos}) {
            if (t == null || specials.has(t)) continue;
            ObjectNode s = specials.putObject(t).put("id", t);
            s.putArray("ids").add(tokens.indexOf(t));
            s.putArray("tokens").add(t);
        }
        return p;
    }

    private static ObjectNode byteLevel(boolean useRegex) {
        return JSON.createObjectNode().put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", useRegex);
    }

    private static void addToken(ArrayNode added, int id, String content, boolean special) {
        added.addObject().put("id", id).put("content", content).put("single_word", false).put("lstrip", false)
                .put("rstrip", false).put("normalized", false).put("special", special);
    }

    private static boolean inAlphabet(String token, Set<Character> spelled) {
        for (int i = 0; i < token.length(); i++) if (!spelled.contains(token.charAt(i))) return false;
        return true;
    }

    private static String respell(String token, Map<Integer, Character> alphabet, Set<Character> spelled) {
        if (inAlphabet(token, spelled)) return token;
        StringBuilder sb = new StringBuilder();
        for (byte b : token.getBytes(java.nio.charset.StandardCharsets.UTF_8)) sb.append(alphabet.get(b & 0xFF));
        return sb.toString();
    }

    private static List<Double> reals(Map<String, Object> metadata, String key) {
        Object v = metadata.get(key);
        if (!(v instanceof List<?> l)) throw new IllegalArgumentException("GGUF metadata has no " + key + " array (and no merges)");
        return l.stream().map(x -> ((Number) x).doubleValue()).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Map<String, Object> metadata, String key) {
        Object v = metadata.get(key);
        if (!(v instanceof List<?> l)) throw new IllegalArgumentException("GGUF metadata has no " + key + " array");
        return (List<String>) l;
    }
}
