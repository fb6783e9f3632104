package sn37.miner.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointWriterTest {

    @TempDir
    Path root;

    private static ModelConfig config() throws IOException {
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree("{\"model_type\": \"llama\", \"bos_token_id\": 1,"
                + " \"eos_token_id\": 2, \"pad_token_id\": null, \"rope_theta\": 500000.0, \"rms_norm_eps\": 1e-05}");
        return new ModelConfig(json).withArchitectures(List.of("LlamaForCausalLM"));
    }

    private static List<TensorData> stateDict(int tensors, int elements) {
        Random random = new Random(37);
        List<TensorData> out = new ArrayList<>();
        for (int t = 0; t < tensors; t++) {
            float[] values = new float[elements];
            for (int i = 0; i < elements; i++) {
                values[i] = (float) random.nextGaussian() * 0.02f;
            }
            out.add(new FloatTensor("model.layers." + t + ".weight", Dtype.BF16, new long[] {elements}, values));
        }
        out.add(new ByteTensor("model.position_ids", Dtype.I64, new long[] {1}, new byte[8]));
        return out;
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void smallModelIsOneFileWithConfigsAsSavePretrainedWritesThem() throws IOException {
        Path dir = root.resolve("out");
        ShardPlan plan = CheckpointWriter.write(dir, config(), stateDict(3, 10));
        assertFalse(plan.sharded());
        assertEquals(List.of("config.json", "generation_config.json", "model.safetensors"), listing(dir));
        assertEquals("""
                {
                  "architectures": [
                    "LlamaForCausalLM"
                  ],
                  "bos_token_id": 1,
                  "eos_token_id": 2,
                  "model_type": "llama",
                  "pad_token_id": null,
                  "rms_norm_eps": 1e-05,
                  "rope_theta": 500000.0,
                  "torch_dtype": "bfloat16",
                  "transformers_version": "4.44.1"
                }
                """, Files.readString(dir.resolve("config.json")));
        assertEquals("""
                {
                  "_from_model_config": true,
                  "bos_token_id": 1,
                  "eos_token_id": 2,
                  "transformers_version": "4.44.1"
                }
                """, Files.readString(dir.resolve("generation_config.json")));
    }

    @Test
    void shardsPastTheLimitWithAnIndexSortedByName() throws IOException {
        Path dir = root.resolve("out");
        ShardPlan plan = CheckpointWriter.write(dir, config(), GenerationConfig.fromModelConfig(config()),
                stateDict(12, 40), 200);
        // 80 bytes per layer tensor: two to a 200-byte shard; the 8-byte ids join the last.
        assertEquals(List.of("config.json", "generation_config.json", "model-00001-of-00006.safetensors",
                "model-00002-of-00006.safetensors", "model-00003-of-00006.safetensors",
                "model-00004-of-00006.safetensors", "model-00005-of-00006.safetensors",
                "model-00006-of-00006.safetensors", "model.safetensors.index.json"), listing(dir));
        String index = Files.readString(dir.resolve("model.safetensors.index.json"), StandardCharsets.UTF_8);
        assertTrue(index.startsWith("{\n  \"metadata\": {\n    \"total_size\": 968\n  },\n  \"weight_map\": {\n"
                + "    \"model.layers.0.weight\": \"model-00001-of-00006.safetensors\",\n"
                + "    \"model.layers.1.weight\": \"model-00001-of-00006.safetensors\",\n"
                + "    \"model.layers.10.weight\": \"model-00006-of-00006.safetensors\",\n"), index);
        assertTrue(index.endsWith("\"model.position_ids\": \"model-00006-of-00006.safetensors\"\n  }\n}\n"), index);
        assertEquals(968, plan.totalSize());
    }

    @Test
    void loadSaveLoadRoundTripIsBitIdentical() throws IOException {
        Path first = root.resolve("first");
        Path second = root.resolve("second");
        List<TensorData> original = stateDict(12, 40);
        CheckpointWriter.write(first, config(), GenerationConfig.fromModelConfig(config()), original, 200);
        try (CheckpointDir loaded = CheckpointDir.open(first)) {
            // placement() keeps state-dict order, so the shards come out the same.
            List<TensorData> inOrder = new ArrayList<>();
            for (TensorData tensor : original) {
                inOrder.add(loaded.stored(tensor.name()));
            }
            CheckpointWriter.write(second, loaded.config(), loaded.generationConfig().orElseThrow(), inOrder, 200);
        }
        PythonGoldenTest.assertSameFiles(first, second);
        try (CheckpointDir a = CheckpointDir.open(first); CheckpointDir b = CheckpointDir.open(second)) {
            for (TensorInfo info : a.tensors()) {
                assertArrayEquals(a.readBytes(info.name()), b.readBytes(info.name()), info.name());
                assertEquals(info, b.tensor(info.name()));
            }
        }
    }

    @Test
    void tensorBytesSurviveARoundTripInFileOrderToo() throws IOException {
        Path first = root.resolve("first");
        Path second = root.resolve("second");
        CheckpointWriter.write(first, config(), GenerationConfig.fromModelConfig(config()), stateDict(12, 40), 200);
        try (CheckpointDir loaded = CheckpointDir.open(first)) {
            CheckpointWriter.write(second, loaded.config(), loaded.generationConfig().orElseThrow(),
                    loaded.storedTensors(), 200);
        }
        try (CheckpointDir a = CheckpointDir.open(first); CheckpointDir b = CheckpointDir.open(second)) {
            assertEquals(a.tensors().size(), b.tensors().size());
            for (TensorInfo info : a.tensors()) {
                assertArrayEquals(a.readBytes(info.name()), b.readBytes(info.name()), info.name());
            }
        }
    }

    @Test
    void replacesAnExistingDirectoryWholeAndLeavesNothingBeside() throws IOException {
        Path dir = Files.createDirectory(root.resolve("out"));
        Files.writeString(dir.resolve("model-00001-of-00009.safetensors"), "stale shard");
        Files.createDirectory(root.resolve(".out.partial-deadbeef"));
        CheckpointWriter.write(dir, config(), stateDict(2, 4));
        assertEquals(List.of("config.json", "generation_config.json", "model.safetensors"), listing(dir));
        assertEquals(List.of("out"), listing(root));
    }

    @Test
    void aFailedWriteLeavesThePreviousDirectoryUntouched() throws IOException {
        Path dir = root.resolve("out");
        CheckpointWriter.write(dir, config(), stateDict(2, 4));
        byte[] before = Files.readAllBytes(dir.resolve("model.safetensors"));
        Path source = Files.createDirectory(root.resolve("source"));
        TensorData broken = SafetensorsWriterTest.closedSource(source.resolve("s.safetensors"));
        assertThrows(IOException.class, () -> CheckpointWriter.write(dir, config(), List.of(broken)));
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("model.safetensors")));
        assertEquals(List.of("out", "source"), listing(root));
    }

    @Test
    void setsTorchDtypeFromTheFirstFloatTensorAndRequiresArchitectures() throws IOException {
        Path dir = root.resolve("out");
        List<TensorData> tensors = List.of(new ByteTensor("ids", Dtype.I64, new long[] {1}, new byte[8]),
                new FloatTensor("w", Dtype.F32, new long[] {1}, new float[] {1}));
        CheckpointWriter.write(dir, config().withTorchDtype("bfloat16"), tensors);
        try (CheckpointDir loaded = CheckpointDir.open(dir)) {
            assertEquals("float32", loaded.config().torchDtype().orElseThrow());
            assertEquals("4.44.1", loaded.config().json().get("transformers_version").textValue());
        }
        ModelConfig bare = new ModelConfig(new ObjectMapper().createObjectNode());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CheckpointWriter.write(root.resolve("bare"), bare, tensors));
        assertTrue(e.getMessage().contains("needs 'architectures'"), e.getMessage());
    }

    @Test
    void generationConfigCarriesListTokenIdsAndSkipsNulls() throws IOException {
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(
                "{\"bos_token_id\": 128000, \"eos_token_id\": [128001, 128008], \"pad_token_id\": null}");
        GenerationConfig generation = GenerationConfig.fromModelConfig(new ModelConfig(json));
        assertEquals("{\n  \"_from_model_config\": true,\n  \"bos_token_id\": 128000,\n  \"eos_token_id\": [\n"
                + "    128001,\n    128008\n  ]\n}\n", new String(generation.toBytes(), StandardCharsets.US_ASCII));
    }
}
