package sn37.miner.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileSetTest {
    private static final List<String> SHARDED = List.of("config.json", "generation_config.json",
            "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.safetensors.index.json");

    @TempDir
    Path tmp;

    private Path sharded() throws Exception {
        return TinyModels.write(tmp.resolve("model"), 4, 20_000, 90_000, 1);
    }

    @Test
    void takesTheFilesFromPretrainedDownloadsAndListsTheRestAsIgnored() throws Exception {
        Path dir = sharded();
        TinyModels.writeText(dir, "optimizer.pt", "state");
        TinyModels.writeText(dir, "model-00003-of-00003.safetensors", "a stale shard of an older save");
        TinyModels.writeText(dir, "tokenizer.json", "{}");
        TinyModels.writeText(dir, "logs/train.txt", "loss 1.0");

        ModelFileSet set = ModelFileSet.of(dir, false);

        assertEquals(SHARDED, set.files());
        assertEquals(List.of("logs/train.txt", "model-00003-of-00003.safetensors", "optimizer.pt", "tokenizer.json"),
                set.ignored());
        assertEquals("LlamaForCausalLM", set.architecture());
    }

    @Test
    void addsTheTokenizerFilesPresentOnlyForABringYourOwnTokenizerCompetition() throws Exception {
        Path dir = TinyModels.write(tmp.resolve("model"), 2, 100, 1_000_000, 1);
        TinyModels.writeText(dir, "tokenizer.json", "{}");
        TinyModels.writeText(dir, "tokenizer_config.json", "{}");
        TinyModels.writeText(dir, "training_args.bin", "not weights");

        ModelFileSet set = ModelFileSet.of(dir, true);

        assertEquals(List.of("config.json", "generation_config.json", "model.safetensors", "tokenizer.json",
                "tokenizer_config.json"), set.files());
        assertEquals(List.of("training_args.bin"), set.ignored());
    }

    @Test
    void aBringYourOwnTokenizerDirWithoutItsTokenizerIsRefusedNamingTheMissingFile() throws Exception {
        Path dir = TinyModels.write(tmp.resolve("model"), 2, 100, 1_000_000, 1);
        TinyModels.writeText(dir, "tokenizer_config.json", "{}");
        TinyModels.writeText(dir, "vocab.json", "{}");

        PublishException e = assertThrows(PublishException.class, () -> ModelFileSet.of(dir, true));

        assertTrue(e.getMessage().contains("has no tokenizer.json: this competition has no fixed tokenizer"),
                e.getMessage());
        assertEquals(List.of("config.json", "generation_config.json", "model.safetensors"),
                ModelFileSet.of(dir, false).files(), "a fixed-tokenizer competition ships none");
    }

    @Test
    void refusesADirWithoutConfigJson() throws Exception {
        Path dir = sharded();
        Files.delete(dir.resolve("config.json"));

        PublishException e = assertThrows(PublishException.class, () -> ModelFileSet.of(dir, false));

        assertTrue(e.getMessage().contains("has no config.json"), e.getMessage());
    }

    @Test
    void refusesPytorchBinWeights() throws Exception {
        Path dir = sharded();
        TinyModels.writeText(dir, "pytorch_model.bin", "pickle");

        PublishException e = assertThrows(PublishException.class, () -> ModelFileSet.of(dir, false));

        assertTrue(e.getMessage().contains(".bin weights (pytorch_model.bin)"), e.getMessage());
        assertTrue(e.getMessage().contains("safe_serialization=True"), e.getMessage());
    }

    @Test
    void refusesASingleFileNextToAnIndexBecauseTransformersWouldLoadTheSingleFile() throws Exception {
        Path dir = sharded();
        TinyModels.writeText(dir, "model.safetensors", "stale");

        PublishException e = assertThrows(PublishException.class, () -> ModelFileSet.of(dir, false));

        assertTrue(e.getMessage().contains("has both model.safetensors and model.safetensors.index.json"), e.getMessage());
    }

    @Test
    void refusesAnIndexWhoseShardIsMissing() throws Exception {
        Path dir = sharded();
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));

        PublishException e = assertThrows(PublishException.class, () -> ModelFileSet.of(dir, false));

        assertTrue(e.getMessage().contains("names shard model-00002-of-00002.safetensors, which is missing"),
                e.getMessage());
    }

    @Test
    void refusesADirWithoutWeights() throws Exception {
        Path dir = tmp.resolve("empty");
        TinyModels.writeText(dir, "config.json", "{\"architectures\": [\"LlamaForCausalLM\"]}");

        PublishException e = assertThrows(PublishException.class, () -> ModelFileSet.of(dir, false));

        assertTrue(e.getMessage().contains("has no safetensors weights"), e.getMessage());
    }

    @Test
    void refusesATruncatedShard() throws Exception {
        Path dir = sharded();
        Path shard = dir.resolve("model-00001-of-00002.safetensors");
        byte[] bytes = Files.readAllBytes(shard);
        Files.write(shard, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        PublishException e = assertThrows(PublishException.class, () -> ModelFileSet.of(dir, false));

        assertTrue(e.getMessage().contains("cannot be loaded"), e.getMessage());
    }

    @Test
    void refusesAMissingDir() {
        PublishException e = assertThrows(PublishException.class, () -> ModelFileSet.of(tmp.resolve("nope"), false));

        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
