package sn37.miner.io;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.config.Env;
import sn37.miner.data.JsonlSampleSource;
import sn37.miner.data.SnapshotWriter;
import sn37.miner.model.CheckpointDir;
import sn37.miner.model.ModelConfig;
import sn37.miner.model.SafetensorsReader;
import sn37.miner.model.llama.LlamaConfig;
import sn37.miner.model.tokenizer.ChatTokenizer;
import sn37.miner.stage.LoadModel;
import sn37.miner.wallet.Wallet;

/**
 * Every reader of a file a user names, given a file of sentinel secrets ({@link Canaries}), fails with an error
 * that names the file and says why, and neither its message nor any cause's (the whole stack trace) holds a
 * sentinel.
 */
class ReaderCanaryTest {
    @TempDir Path dir;

    private interface Read {
        void run() throws Exception;
    }

    @TestFactory
    Stream<DynamicTest> noReaderErrorCarriesTheFilesText() throws Exception {
        Path env = Canaries.dotEnv(dir.resolve("home"));
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(refuses("JSONL data file", env.toString(), () -> JsonlSampleSource.of(env).load()));
        tests.add(refuses("run snapshot", env.toString(), () -> SnapshotWriter.read(env)));
        tests.add(refuses("init_config file", env.toString(), () -> LoadModel.readInitConfig(env.toString())));
        tests.add(refuses(".env", ".env", () -> Env.load(env.getParent())));
        tests.add(refuses("hotkey file", "hotkey file",
                () -> Wallet.load(Canaries.wallets(dir.resolve("wallets"), "miner", "default"), "miner", "default")));
        Path header = Files.write(dir.resolve("header.safetensors"),
                Files.readAllBytes(Canaries.modelDirs(dir.resolve("probe")).get("model.safetensors header is .env text")
                        .resolve("model.safetensors")));
        tests.add(refuses("safetensors header", "header.safetensors", () -> SafetensorsReader.open(header)));
        Canaries.modelDirs(dir.resolve("models")).forEach((what, model) -> tests.add(refuses(what, model.toString(),
                () -> {
                    if (what.startsWith("tokenizer")) {
                        ChatTokenizer.fromDir(model).close();
                    } else {
                        try (CheckpointDir checkpoint = CheckpointDir.open(model)) {
                            LlamaConfig.from(checkpoint.config());
                        }
                    }
                })));
        Path values = dir.resolve("models/config-values/config.json");
        tests.add(refuses("init_config with secret values", "architecture",
                () -> LlamaConfig.from(ModelConfig.read(values))));
        return tests.stream();
    }

    private static DynamicTest refuses(String what, String named, Read read) {
        return dynamicTest(what, () -> {
            Throwable error = null;
            try {
                read.run();
            } catch (Exception e) {
                error = e;
            }
            assertNotNull(error, what + " was accepted");
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            Canaries.assertNone(what + " error", trace.toString());
            assertTrue(error.getMessage() != null && error.getMessage().contains(named),
                    "the error should name " + named + ": " + error.getMessage());
        });
    }
}
