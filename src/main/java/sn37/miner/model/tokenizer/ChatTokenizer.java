package sn37.miner.model.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sn37.miner.io.InputFiles;
import sn37.miner.io.JsonSyntax;

/**
 * A Hugging Face fast tokenizer (DJL's binding of the Rust {@code tokenizers}, loaded from a file,
 * never by name) with the chat template and special tokens of its {@code tokenizer_config.json},
 * applied as transformers' {@code apply_chat_template(..., tokenize=True)} applies them: render,
 * then encode without adding special tokens, then keep the last {@code max_length} ids
 * ({@code truncation_side="left"}, as validators set it).
 */
public final class ChatTokenizer implements AutoCloseable {

    /** The competitions' fixed tokenizer (finetuning constants: {@code tokenizer="Xenova/gpt-4"}). */
    public static final String COMPETITION_TOKENIZER = "Xenova/gpt-4";
    private static final String BUNDLED = "/tokenizer/gpt-4/";
    public static final String TOKENIZER_JSON = "tokenizer.json";
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    private static final List<String> SPECIAL_TOKENS =
            List.of("bos_token", "eos_token", "unk_token", "pad_token", "sep_token", "cls_token", "mask_token");
    /** DJL truncates to 512 ids and may pad unless told not to (see the tokenizer README). */
    private static final Map<String, String> OPTIONS =
            Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** tokenizer.json of a 256k vocabulary is about 35 MB; tokenizer_config.json is far smaller. */
    static final long MAX_TOKENIZER_BYTES = 128 * InputFiles.MIB;

    private final HuggingFaceTokenizer tokenizer;
    private final ChatTemplate template;
    private final Map<String, String> specialTokens;
    private final long eosTokenId;
    private final long vocabularySize;
    private final String source;

    private ChatTokenizer(HuggingFaceTokenizer tokenizer, JsonNode tokenizerJson, JsonNode config, String template,
            String source) {
        this.tokenizer = tokenizer;
        this.source = source;
        this.template = template == null ? null : new ChatTemplate(template);
        this.specialTokens = new LinkedHashMap<>();
        for (String key : SPECIAL_TOKENS) {
            JsonNode token = config.path(key);
            String content = token.isTextual() ? token.textValue() : token.path("content").textValue();
            if (content != null) {
                specialTokens.put(key, content);
            }
        }
        String eos = specialTokens.get("eos_token");
        if (eos == null) {
            throw new TokenizerException(source + ": " + TOKENIZER_CONFIG + " has no eos_token; the trainer ends"
                    + " every answer with it and validators stop generation at it");
        }
        long[] ids = encode(eos);
        if (ids.length != 1) {
            throw new TokenizerException(source + ": the eos_token of " + TOKENIZER_CONFIG + " encodes to "
                    + ids.length + " ids; it must be one token");
        }
        this.eosTokenId = ids[0];
        this.vocabularySize = vocabularySize(tokenizerJson);
    }

    /** The bundled competition tokenizer ({@value #COMPETITION_TOKENIZER}, cl100k + ChatML). */
    public static ChatTokenizer bundled() {
        try {
            JsonNode config;
            JsonNode tokenizerJson;
            try (InputStream configIn = resource(TOKENIZER_CONFIG); InputStream jsonIn = resource(TOKENIZER_JSON)) {
                config = JSON.readTree(configIn);
                tokenizerJson = JSON.readTree(jsonIn);
            }
            HuggingFaceTokenizer tokenizer;
            try (InputStream in = resource(TOKENIZER_JSON)) {
                tokenizer = HuggingFaceTokenizer.newInstance(in, OPTIONS);
            }
            return new ChatTokenizer(tokenizer, tokenizerJson, config, config.path("chat_template").textValue(),
                    "bundled " + COMPETITION_TOKENIZER);
        } catch (IOException e) {
            throw new UncheckedIOException("the bundled tokenizer " + BUNDLED + " is unreadable: the jar is damaged", e);
        }
    }

    /** True when {@code dir} carries its own fast tokenizer. */
    public static boolean present(Path dir) {
        return Files.isRegularFile(dir.resolve(TOKENIZER_JSON));
    }

    /** The tokenizer of a model directory: tokenizer.json plus tokenizer_config.json (and chat_template.jinja). */
    public static ChatTokenizer fromDir(Path dir) throws IOException {
        Path file = dir.resolve(TOKENIZER_JSON);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no fast tokenizer: expected " + TOKENIZER_JSON
                    + " (slow-only tokenizers such as tokenizer.model alone are not supported)");
        }
        Path configFile = dir.resolve(TOKENIZER_CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new NoSuchFileException(configFile.toString(), null, "expected " + TOKENIZER_CONFIG
                    + " beside " + TOKENIZER_JSON + " (it names the eos token and the chat template)");
        }
        JsonNode config = readJson(configFile);
        byte[] tokenizerBytes = InputFiles.readAll(file, MAX_TOKENIZER_BYTES, TOKENIZER_JSON);
        JsonNode tokenizerJson = parseJson(file, tokenizerBytes);
        HuggingFaceTokenizer tokenizer;
        try (InputStream in = new ByteArrayInputStream(tokenizerBytes)) {
            tokenizer = HuggingFaceTokenizer.newInstance(in, OPTIONS);
        } catch (RuntimeException e) {
            // The library's (serde) message can quote the file ("unknown variant `...`"): keep only where.
            throw new TokenizerException(file + " is not a fast tokenizer the Hugging Face tokenizers library can"
                    + " load" + location(e.getMessage()) + ": use the tokenizer.json that transformers saves with"
                    + " the model");
        }
        try {
            return new ChatTokenizer(tokenizer, tokenizerJson, config, template(dir, config), dir.toString());
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    private static JsonNode readJson(Path file) throws IOException {
        return parseJson(file, InputFiles.readAll(file, MAX_TOKENIZER_BYTES, file.getFileName().toString()));
    }

    private static JsonNode parseJson(Path file, byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            String at = e instanceof JacksonException j ? JsonSyntax.describe(j) : "unreadable";
            throw new TokenizerException(file + " is not valid JSON (" + at + ")");
        }
    }

    /** " (line 3, column 7)" from a serde message, or nothing: the rest of such a message is not repeated. */
    static String location(String message) {
        java.util.regex.Matcher m = message == null ? null
                : java.util.regex.Pattern.compile("line (\\d+),? column (\\d+)").matcher(message);
        return m != null && m.find() ? " (line " + m.group(1) + ", column " + m.group(2) + ")" : "";
    }

    /** The model directory's own tokenizer when it has one, else the competition's. */
    public static ChatTokenizer forModel(Path modelDir) throws IOException {
        return present(modelDir) ? fromDir(modelDir) : bundled();
    }

    /** Where it was loaded from, for logs and stage outputs. */
    public String source() {
        return source;
    }

    public long eosTokenId() {
        return eosTokenId;
    }

    /** One more than the highest token id (vocabulary plus added tokens): the least {@code vocab_size} a model needs. */
    public long vocabularySize() {
        return vocabularySize;
    }

    /** Ids of {@code text}, with no special tokens added (special tokens written in the text are matched). */
    public long[] encode(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    /** {@code tokenizer.encode(text)} as transformers calls it: with the special tokens the post-processor adds (a BOS, say). */
    public long[] encodeWithSpecialTokens(String text) {
        return tokenizer.encode(text, true, false).getIds();
    }

    public String decode(long[] ids, boolean skipSpecialTokens) {
        return tokenizer.decode(ids, skipSpecialTokens);
    }

    /** The chat as text, as {@code apply_chat_template(messages, tokenize=False)} gives it. */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        if (template == null) {
            throw new TokenizerException(source + " has no chat_template in " + TOKENIZER_CONFIG
                    + " (transformers refuses such a tokenizer too): use a model directory whose tokenizer has one");
        }
        return template.render(messages, addGenerationPrompt, specialTokens);
    }

    /**
     * {@code apply_chat_template(messages, add_generation_prompt, truncation=True, max_length)}
     * with {@code truncation_side="left"}: the last {@code maxLength} ids; 0 keeps them all.
     */
    public long[] applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt, int maxLength) {
        long[] ids = encode(render(messages, addGenerationPrompt));
        return maxLength > 0 && ids.length > maxLength ? Arrays.copyOfRange(ids, ids.length - maxLength, ids.length)
                : ids;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private static String template(Path dir, JsonNode config) throws IOException {
        JsonNode template = config.path("chat_template");
        if (template.isTextual()) {
            return template.textValue();
        }
        if (template.isArray()) {
            // A list of named templates (transformers 4.42+): apply_chat_template uses "default".
            for (JsonNode named : template) {
                if ("default".equals(named.path("name").textValue())) {
                    return named.path("template").textValue();
                }
            }
        }
        Path jinja = dir.resolve("chat_template.jinja");
        if (Files.exists(jinja)) {
            return InputFiles.readUtf8(jinja, InputFiles.SMALL_FILE_CAP, "chat_template.jinja");
        }
        Path json = dir.resolve("chat_template.json");
        if (Files.exists(json)) {
            return readJson(json).path("chat_template").textValue();
        }
        return null;
    }

    /** The ids the tokenizer.json of {@code dir} can produce (its vocabulary and added tokens), read as JSON only. */
    public static long vocabularySize(Path dir) throws IOException {
        return vocabularySize(readJson(dir.resolve(TOKENIZER_JSON)));
    }

    private static long vocabularySize(JsonNode tokenizerJson) {
        long max = -1;
        JsonNode vocab = tokenizerJson.path("model").path("vocab");
        if (vocab.isArray()) {
            // Unigram: a list of [piece, score], ids are positions.
            max = vocab.size() - 1;
        } else {
            for (JsonNode id : vocab) {
                max = Math.max(max, id.asLong());
            }
        }
        for (JsonNode added : tokenizerJson.path("added_tokens")) {
            max = Math.max(max, added.path("id").asLong());
        }
        return max + 1;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = ChatTokenizer.class.getResourceAsStream(BUNDLED + name);
        if (in == null) {
            throw new NoSuchFileException(BUNDLED + name, null, "missing from the class path");
        }
        return in;
    }

    /** A tokenizer cannot do what was asked; the message says why. */
    public static final class TokenizerException extends IllegalStateException {
        public TokenizerException(String message) {
            super(message);
        }
    }
}
