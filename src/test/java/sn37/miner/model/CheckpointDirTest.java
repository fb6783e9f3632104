package sn37.miner.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointDirTest {

    @TempDir
    Path root;
    Path model;

    private static final String CONFIG = "{\"architectures\": [\"LlamaForCausalLM\"], \"bos_token_id\": 1,"
            + " \"eos_token_id\": [2, 3], \"torch_dtype\": \"bfloat16\", \"rms_norm_eps\": 1e-05}";

    @BeforeEach
    void modelDir() throws IOException {
        model = Files.createDirectory(root.resolve("model"));
        Files.writeString(model.resolve("config.json"), CONFIG);
    }

    private static TensorData floats(String name, float... values) {
        return new FloatTensor(name, Dtype.BF16, new long[] {values.length}, values);
    }

    private void writeIndex(String weightMap) throws IOException {
        Files.writeString(model.resolve(CheckpointDir.INDEX),
                "{\"metadata\": {\"total_size\": 8}, \"weight_map\": {" + weightMap + "}}");
    }

    private CheckpointFormatException rejects(String... fragments) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> CheckpointDir.open(model));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void readsASingleFileCheckpoint() throws IOException {
        SafetensorsWriter.write(model.resolve("model.safetensors"), List.of(floats("w", 1, 2), floats("b", 3)));
        try (CheckpointDir dir = CheckpointDir.open(model)) {
            assertFalse(dir.sharded());
            assertEquals(List.of("LlamaForCausalLM"), dir.config().architectures());
            assertEquals(Optional.of("bfloat16"), dir.config().torchDtype());
            assertEquals(Optional.of(1L), dir.config().longValue("bos_token_id"));
            assertTrue(dir.generationConfig().isEmpty());
            assertArrayEquals(new float[] {1, 2}, dir.readFloats("w"));
            assertEquals(6, dir.totalSize());
            assertEquals(List.of(model.resolve("model.safetensors")), dir.weightFiles());
        }
    }

    @Test
    void readsShardsInTheOrderTheIndexNamesThem() throws IOException {
        SafetensorsWriter.write(model.resolve("b.safetensors"), List.of(floats("y", 2)));
        SafetensorsWriter.write(model.resolve("a.safetensors"), List.of(floats("x", 1), floats("z", 3)));
        writeIndex("\"z\": \"a.safetensors\", \"y\": \"b.safetensors\", \"x\": \"a.safetensors\"");
        try (CheckpointDir dir = CheckpointDir.open(model)) {
            assertTrue(dir.sharded());
            assertEquals(List.of("x", "z", "y"), dir.tensors().stream().map(TensorInfo::name).toList());
            assertArrayEquals(new float[] {2}, dir.readFloats("y"));
        }
    }

    @Test
    void rejectsAMissingShard() throws IOException {
        SafetensorsWriter.write(model.resolve("a.safetensors"), List.of(floats("x", 1)));
        writeIndex("\"x\": \"a.safetensors\", \"y\": \"b.safetensors\"");
        CheckpointFormatException e = rejects("weight_map names a shard file that is missing");
        assertTrue(e.getMessage().startsWith(model.resolve(CheckpointDir.INDEX).toString()), e.getMessage());
    }

    @Test
    void rejectsATensorInTwoShards() throws IOException {
        SafetensorsWriter.write(model.resolve("a.safetensors"), List.of(floats("x", 1)));
        SafetensorsWriter.write(model.resolve("b.safetensors"), List.of(floats("x", 1), floats("y", 2)));
        writeIndex("\"x\": \"a.safetensors\", \"y\": \"b.safetensors\"");
        rejects("a tensor appears in both a.safetensors and b.safetensors");
    }

    @Test
    void rejectsAnIndexedTensorItsShardLacks() throws IOException {
        SafetensorsWriter.write(model.resolve("a.safetensors"), List.of(floats("x", 1)));
        SafetensorsWriter.write(model.resolve("b.safetensors"), List.of(floats("y", 2)));
        writeIndex("\"x\": \"a.safetensors\", \"y\": \"b.safetensors\", \"w\": \"b.safetensors\"");
        CheckpointFormatException e = rejects("maps a tensor to this shard that it does not contain");
        assertTrue(e.getMessage().startsWith(model.resolve("b.safetensors").toString()), e.getMessage());
    }

    @Test
    void rejectsAShardTensorTheIndexLeavesOut() throws IOException {
        SafetensorsWriter.write(model.resolve("a.safetensors"), List.of(floats("x", 1), floats("stray", 0)));
        writeIndex("\"x\": \"a.safetensors\"");
        rejects("a.safetensors: holds a tensor that model.safetensors.index.json does not list");
    }

    @Test
    void rejectsIndexEntriesThatAreNotFilesOfTheDirectory() throws IOException {
        writeIndex("\"x\": \"../elsewhere.safetensors\"");
        rejects("every weight_map value must be the name of a file in this directory");
        writeIndex("");
        rejects("'weight_map' must be a non-empty object");
    }

    @Test
    void rejectsBinOnlyWeights() throws IOException {
        Files.write(model.resolve("pytorch_model.bin"), new byte[] {1, 2, 3});
        CheckpointFormatException e = rejects("pytorch_model.bin", "safetensors required; validators reject .bin");
        assertTrue(e.getMessage().startsWith(model.toString()), e.getMessage());
    }

    @Test
    void rejectsADirectoryWithoutWeightsOrConfig() throws IOException {
        rejects("no weights: expected model.safetensors or model.safetensors.index.json");
        Files.delete(model.resolve("config.json"));
        rejects("no config.json");
    }

    @Test
    void rejectsWeightsWithoutTheFormatTransformersChecks() throws IOException {
        SafetensorsWriter.write(model.resolve("model.safetensors"), List.of(floats("w", 1)), null);
        rejects("model.safetensors: __metadata__ format is missing", "transformers 4.44.1");
    }

    @Test
    void rejectsAConfigThatIsNotAJsonObjectOrHasMistypedKeys() throws IOException {
        SafetensorsWriter.write(model.resolve("model.safetensors"), List.of(floats("w", 1)));
        Files.writeString(model.resolve("config.json"), "{\"architectures\": \"LlamaForCausalLM\"}");
        rejects("config.json: 'architectures' must be an array of class names");
        Files.writeString(model.resolve("config.json"), "{\"architectures\": [\"A\"], \"a\": 1, \"a\": 2}");
        rejects("config.json: not valid JSON", "a key appears twice");
        Files.writeString(model.resolve("config.json"), "[]");
        rejects("config.json: expected a JSON object");
    }

    @Test
    void prefersTheSingleFileWhenAStaleIndexIsBesideIt() throws IOException {
        SafetensorsWriter.write(model.resolve("model.safetensors"), List.of(floats("w", 1)));
        writeIndex("\"old\": \"model-00001-of-00002.safetensors\"");
        try (CheckpointDir dir = CheckpointDir.open(model)) {
            assertFalse(dir.sharded());
            assertEquals(List.of("w"), dir.tensors().stream().map(TensorInfo::name).toList());
        }
    }

    @Test
    void closesWhatItOpenedWhenAShardFails() throws IOException {
        SafetensorsWriter.write(model.resolve("a.safetensors"), List.of(floats("x", 1)));
        Files.write(model.resolve("b.safetensors"), new byte[] {9, 9});
        writeIndex("\"x\": \"a.safetensors\", \"y\": \"b.safetensors\"");
        rejects("b.safetensors: file has 2 bytes");
        try (Stream<Path> files = Files.list(model)) {
            assertEquals(4, files.count());
        }
    }
}
