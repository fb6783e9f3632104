package sn37.miner.io;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Files that hold sentinel secrets where a reader expects data, a config.json, a tokenizer, a safetensors header or
 * a key file: the text of a {@code .env} and a passwd line, raw or inside otherwise well-formed JSON. No error, log
 * line, HTTP answer, database file or console output may ever contain {@link #MARK}.
 */
public final class Canaries {
    /** Every sentinel contains this; no message of the program does. */
    public static final String MARK = "CANARY";

    /** The first line's key holds a sentinel too: a parser's "Unrecognized token 'KEY'" quotes the key. */
    public static final String DOT_ENV = "CANARY_HF_ACCESS_TOKEN=hf_CANARY0hfToken0000\n"
            + "WANDB_ACCESS_TOKEN=CANARY1wandbKey1111\n"
            + "PIPELINE_API_TOKEN=CANARY2pipelineToken2222\n"
            + "root:CANARY3:0:0:root:/root:/bin/bash\n";

    private Canaries() {}

    /** A {@code .env}-like file. */
    public static Path dotEnv(Path dir) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(".env"), DOT_ENV);
    }

    /**
     * Model directories, each broken in one file by sentinel text, keyed by what is wrong; every other file is
     * valid (the bundled tiny-llama config, the bundled tokenizer), so that the reader reaches the broken one.
     */
    public static Map<String, Path> modelDirs(Path root) throws IOException {
        Map<String, Path> dirs = new LinkedHashMap<>();
        String config = bundled("/models/tiny-llama/config.json");
        dirs.put("config.json is .env text", model(root.resolve("config-raw"), DOT_ENV, DOT_ENV.getBytes(UTF8)));
        dirs.put("config.json names secrets as architecture and settings", model(root.resolve("config-values"),
                config.replace("\"LlamaForCausalLM\"", "\"hf_CANARY0hfToken0000\"")
                        .replace("\"silu\"", "\"CANARY1wandbKey1111\""), safetensors(DOT_ENV)));
        dirs.put("config.json has a secret where a number belongs", model(root.resolve("config-number"),
                config.replace("\"vocab_size\": 100288", "\"vocab_size\": \"hf_CANARY0hfToken0000\""),
                safetensors(DOT_ENV)));
        dirs.put("model.safetensors header is .env text", model(root.resolve("header-raw"), config,
                safetensors(DOT_ENV)));
        dirs.put("model.safetensors header names secret tensors", model(root.resolve("header-names"), config,
                safetensors("{\"hf_CANARY0hfToken0000\":{\"dtype\":\"CANARY1wandbKey1111\",\"shape\":[1],"
                        + "\"data_offsets\":[0,4]},\"__metadata__\":{\"format\":\"CANARY2pipelineToken2222\"}}")));
        Path tokenizer = model(root.resolve("tokenizer-raw"), config, safetensors(DOT_ENV));
        Files.writeString(tokenizer.resolve("tokenizer.json"), DOT_ENV);
        Files.writeString(tokenizer.resolve("tokenizer_config.json"), bundled("/tokenizer/gpt-4/tokenizer_config.json"));
        dirs.put("tokenizer.json is .env text", tokenizer);
        Path tokenizerConfig = model(root.resolve("tokenizer-config-raw"), config, safetensors(DOT_ENV));
        Files.writeString(tokenizerConfig.resolve("tokenizer.json"), bundled("/tokenizer/gpt-4/tokenizer.json"));
        Files.writeString(tokenizerConfig.resolve("tokenizer_config.json"), DOT_ENV);
        dirs.put("tokenizer_config.json is .env text", tokenizerConfig);
        return dirs;
    }

    /** {@code <root>/<wallet>/hotkeys/<hotkey>} holding .env text, with the permissions btcli gives a key file. */
    public static Path wallets(Path root, String wallet, String hotkey) throws IOException {
        Path file = Files.createDirectories(root.resolve(wallet).resolve("hotkeys")).resolve(hotkey);
        Files.writeString(file, "{\"secretSeed\": \"0xCANARY\", " + DOT_ENV.replace("\n", " ") + "}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return root;
    }

    /** Fails when {@code text} holds any sentinel. */
    public static void assertNone(String where, String text) {
        if (text == null) return;
        int at = text.indexOf(MARK);
        assertFalse(at >= 0, () -> "a sentinel leaked into " + where + ": ..."
                + text.substring(Math.max(0, at - 200), Math.min(text.length(), at + 60)) + "...");
    }

    /** Fails when any file under {@code root} holds a sentinel, as UTF-8 or UTF-16 (how H2 may store text). */
    public static void assertNoneInFiles(Path root) throws IOException {
        if (!Files.exists(root)) return;
        byte[] utf8 = MARK.getBytes(StandardCharsets.UTF_8);
        byte[] utf16 = MARK.getBytes(StandardCharsets.UTF_16BE);
        try (var files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                byte[] bytes = Files.readAllBytes(f);
                assertFalse(indexOf(bytes, utf8) >= 0 || indexOf(bytes, utf16) >= 0,
                        "a sentinel is stored in " + f);
            }
        }
    }

    private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

    private static Path model(Path dir, String config, byte[] weights) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), config);
        Files.write(dir.resolve("model.safetensors"), weights);
        return dir;
    }

    /** A safetensors file whose header is {@code header} and whose data is 4 zero bytes. */
    private static byte[] safetensors(String header) {
        byte[] h = header.getBytes(UTF8);
        return ByteBuffer.allocate(8 + h.length + 4).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h)
                .array();
    }

    private static String bundled(String resource) throws IOException {
        try (InputStream in = Canaries.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), UTF8);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }
}
