package sn37.miner.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled competition tokenizer against js-tiktoken vectors (src/test/resources/model/tokenizer/README.md). */
class ChatTokenizerTest {

    private static ChatTokenizer tokenizer;
    private static JsonNode vectors;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        tokenizer = ChatTokenizer.bundled();
        try (InputStream in = ChatTokenizerTest.class.getResourceAsStream("/model/tokenizer/encode-vectors.json")) {
            vectors = new ObjectMapper().readTree(in);
        }
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    static List<ChatMessage> messages(JsonNode array) {
        List<ChatMessage> out = new ArrayList<>();
        array.forEach(m -> out.add(new ChatMessage(m.get("role").asText(), m.get("content").asText())));
        return out;
    }

    static long[] ids(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    @Test
    void encodesKnownCl100kIds() {
        assertArrayEquals(new long[] {9906, 1917}, tokenizer.encode("Hello world"));
        int checked = 0;
        for (JsonNode c : vectors.get("cases")) {
            if (c.get("kind").asText().equals("text")) {
                assertArrayEquals(ids(c.get("ids")), tokenizer.encode(c.get("text").asText()), c.get("text").asText());
                checked++;
            }
        }
        assertTrue(checked >= 20, "vectors read: " + checked);
    }

    @Test
    void encodesLongTextsWhole() {
        String text = "word ".repeat(2999) + "word";
        assertEquals(3000, tokenizer.encode(text).length, "DJL's default truncation to 512 must be off");
    }

    @Test
    void rendersAndTokenizesChatsAsTransformersDoes() {
        int checked = 0;
        for (JsonNode c : vectors.get("cases")) {
            if (c.get("kind").asText().equals("chat")) {
                List<ChatMessage> chat = messages(c.get("messages"));
                boolean prompt = c.get("add_generation_prompt").asBoolean();
                assertEquals(c.get("rendered").asText(), tokenizer.render(chat, prompt));
                assertArrayEquals(ids(c.get("ids")), tokenizer.applyChatTemplate(chat, prompt, 0));
                checked++;
            }
        }
        assertEquals(4, checked);
    }

    @Test
    void rendersATwoMessageChatInChatMl() {
        String text = tokenizer.render(List.of(ChatMessage.user("Which?\nA. a\nB. b\nAnswer: "),
                ChatMessage.assistant("B")), false);
        assertEquals("<|im_start|>user\nWhich?\nA. a\nB. b\nAnswer: <|im_end|>\n<|im_start|>assistant\nB<|im_end|>\n",
                text);
    }

    @Test
    void truncatesFromTheLeftToMaxLength() {
        List<ChatMessage> chat = List.of(ChatMessage.user("one two three four five six seven"));
        long[] whole = tokenizer.applyChatTemplate(chat, true, 0);
        long[] cut = tokenizer.applyChatTemplate(chat, true, 5);
        assertArrayEquals(Arrays.copyOfRange(whole, whole.length - 5, whole.length), cut);
        assertEquals(78191, cut[cut.length - 2], "the generation prompt survives: 'assistant'");
    }

    @Test
    void knowsTheEosTokenAndTheVocabularySize() {
        assertEquals(100257, tokenizer.eosTokenId());
        assertEquals(100277, tokenizer.vocabularySize(), "highest id is <|endofprompt|> 100276");
        assertEquals("Hello world", tokenizer.decode(new long[] {9906, 1917, 100257}, true));
    }

    @Test
    void aDirectoryWithoutTokenizerJsonIsAClearError() throws Exception {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> ChatTokenizer.fromDir(dir));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    @Test
    void aModelDirectoryWithItsOwnTokenizerUsesIt() throws Exception {
        try (InputStream in = ChatTokenizer.class.getResourceAsStream("/tokenizer/gpt-4/tokenizer.json")) {
            Files.copy(in, dir.resolve("tokenizer.json"));
        }
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": {\"content\": \"<|im_end|>\","
                + " \"__type\": \"AddedToken\"}, \"chat_template\": [{\"name\": \"default\", \"template\":"
                + " \"{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}\"}]}");
        try (ChatTokenizer own = ChatTokenizer.forModel(dir)) {
            assertEquals(100265, own.eosTokenId());
            assertEquals("<user>hi", own.render(List.of(ChatMessage.user("hi")), false));
            assertEquals(dir.toString(), own.source());
        }
        Files.delete(dir.resolve("tokenizer.json"));
        try (ChatTokenizer fallback = ChatTokenizer.forModel(dir)) {
            assertTrue(fallback.source().contains("Xenova/gpt-4"));
        }
    }

    @Test
    void aTokenizerWithoutChatTemplateRefusesToRenderNamingTheFile() throws Exception {
        try (InputStream in = ChatTokenizer.class.getResourceAsStream("/tokenizer/gpt-4/tokenizer.json")) {
            Files.copy(in, dir.resolve("tokenizer.json"));
        }
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|endoftext|>\"}");
        try (ChatTokenizer own = ChatTokenizer.fromDir(dir)) {
            var e = assertThrows(ChatTokenizer.TokenizerException.class,
                    () -> own.render(List.of(ChatMessage.user("hi")), true));
            assertTrue(e.getMessage().contains("chat_template"), e.getMessage());
        }
    }

    static Map<String, String> specialTokens() {
        return Map.of("bos_token", "<|endoftext|>", "eos_token", "<|endoftext|>", "unk_token", "<|endoftext|>");
    }
}
