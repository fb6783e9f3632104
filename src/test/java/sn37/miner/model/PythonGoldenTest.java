package sn37.miner.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares against files written by Python (safetensors 0.8.0, torch 2.13.0, huggingface_hub
 * 1.33.0); see src/test/resources/model/golden/README.md for how they were made.
 */
class PythonGoldenTest {

    @TempDir
    Path dir;

    static Path golden(String name) {
        try {
            return Path.of(PythonGoldenTest.class.getResource("/model/golden/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** torch.arange(12, dtype=torch.float32) * 0.37 - 2.0, each step rounded to F32. */
    private static float[] ramp(int from, int to) {
        float[] out = new float[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = i * 0.37f - 2.0f;
        }
        return out;
    }

    private static List<TensorData> mixedTensors() {
        return List.of(
                new FloatTensor("model.embed_tokens.weight", Dtype.BF16, new long[] {4, 3}, ramp(0, 12)),
                new FloatTensor("lm_head.weight", Dtype.F32, new long[] {2, 3}, ramp(0, 6)),
                new FloatTensor("norm.weight", Dtype.F16, new long[] {6},
                        new float[] {1 + 0x1p-11f, 1 + 3 * 0x1p-11f, 0x1p-25f, 3 * 0x1p-25f, 65520f, -65519f}),
                new FloatTensor("special", Dtype.BF16, new long[] {8}, new float[] {Float.POSITIVE_INFINITY,
                    Float.NEGATIVE_INFINITY, -0f, -1.00390625f, 1.00390625f, 1.01171875f, Float.MAX_VALUE, 1e-40f}),
                new ByteTensor("position_ids", Dtype.I64, new long[] {3},
                        ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(1).putLong(2).array()),
                new ByteTensor("mask", Dtype.BOOL, new long[] {2}, new byte[] {1, 0}),
                new FloatTensor("\u00e9mbed.\u00fc", Dtype.F32, new long[] {1}, new float[] {0.5f}),
                new FloatTensor("quote\"and\\backslash", Dtype.F32, new long[] {}, new float[] {7.25f}),
                new FloatTensor("empty", Dtype.F32, new long[] {0, 3}, new float[0]));
    }

    @Test
    void writtenFileIsByteIdenticalToPythonSaveFile() throws IOException {
        Path file = dir.resolve("mixed.safetensors");
        SafetensorsWriter.write(file, mixedTensors());
        assertArrayEquals(Files.readAllBytes(golden("mixed.safetensors")), Files.readAllBytes(file));
    }

    @Test
    void readsPythonsFileBackToTheValuesThatWentIn() throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(golden("mixed.safetensors"))) {
            assertArrayEquals(ramp(0, 6), reader.readFloats("lm_head.weight"));
            float[] bf16 = reader.readFloats("model.embed_tokens.weight");
            float[] source = ramp(0, 12);
            for (int i = 0; i < source.length; i++) {
                assertEquals(HalfFloats.bf16ToF32(HalfFloats.f32ToBf16(source[i])), bf16[i]);
            }
            assertArrayEquals(new float[] {1f, 1 + 0x1p-9f, 0f, 0x1p-23f, Float.POSITIVE_INFINITY, -65504f},
                    reader.readFloats("norm.weight"));
            assertArrayEquals(new float[] {7.25f}, reader.readFloats("quote\"and\\backslash"));
            assertArrayEquals(new long[] {}, reader.tensor("quote\"and\\backslash").shape());
            assertArrayEquals(new byte[] {1, 0}, reader.readBytes("mask"));
            assertEquals(List.of("position_ids", "empty", "lm_head.weight", "quote\"and\\backslash", "\u00e9mbed.\u00fc",
                    "model.embed_tokens.weight", "special", "norm.weight", "mask"),
                    reader.tensors().stream().map(TensorInfo::name).toList());
        }
    }

    @Test
    void narrowingMatchesTorchOnRandomValuesAndEveryKindOfTie() throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(golden("conversions.safetensors"))) {
            float[] source = reader.readFloats("source");
            ByteBuffer f16 = reader.map("f16");
            ByteBuffer bf16 = reader.map("bf16");
            float[] f16Widened = reader.readFloats("f16");
            int compared = 0;
            for (int i = 0; i < source.length; i++) {
                short torchF16 = f16.getShort(2 * i);
                short torchBf16 = bf16.getShort(2 * i);
                if (Float.isNaN(source[i])) {
                    // torch canonicalises NaN; only NaN-ness is common ground.
                    assertTrue(Float.isNaN(HalfFloats.f16ToF32(HalfFloats.f32ToF16(source[i]))));
                    assertTrue(Float.isNaN(HalfFloats.bf16ToF32(torchBf16)));
                    continue;
                }
                assertEquals(torchF16, HalfFloats.f32ToF16(source[i]), "F16 of " + source[i] + " (#" + i + ")");
                assertEquals(torchBf16, HalfFloats.f32ToBf16(source[i]), "BF16 of " + source[i] + " (#" + i + ")");
                assertEquals(Float.floatToRawIntBits(HalfFloats.f16ToF32(torchF16)),
                        Float.floatToRawIntBits(f16Widened[i]));
                compared++;
            }
            assertTrue(compared > 10_000, "compared " + compared);
        }
    }

    @Test
    void shardedCheckpointIsByteIdenticalToSavePretrained() throws IOException {
        Path python = golden("checkpoint");
        Path java = dir.resolve("checkpoint");
        try (CheckpointDir source = CheckpointDir.open(python)) {
            assertTrue(source.sharded());
            ShardPlan plan = CheckpointWriter.write(java, source.config(), source.generationConfig().orElseThrow(),
                    stateDictOrder(source), ShardPlan.parseSize("1KB"));
            assertEquals(6, plan.shards().size());
            assertEquals(5456, plan.totalSize());
        }
        assertSameFiles(python, java);
    }

    @Test
    void floatsWidenedFromBf16AndNarrowedAgainGiveTheSameShards() throws IOException {
        Path python = golden("checkpoint");
        Path java = dir.resolve("checkpoint");
        try (CheckpointDir source = CheckpointDir.open(python)) {
            List<TensorData> widened = new ArrayList<>();
            for (TensorData tensor : stateDictOrder(source)) {
                widened.add(new FloatTensor(tensor.name(), Dtype.BF16, tensor.shape(), source.readFloats(tensor.name())));
            }
            CheckpointWriter.write(java, source.config(), GenerationConfig.fromModelConfig(source.config()), widened,
                    ShardPlan.parseSize("1KB"));
        }
        assertSameFiles(python, java);
    }

    /** The order of LlamaForCausalLM.state_dict(), which is the order make_golden.py used. */
    private static List<TensorData> stateDictOrder(CheckpointDir source) {
        List<String> names = new ArrayList<>(List.of("model.embed_tokens.weight"));
        for (int layer = 0; layer < 2; layer++) {
            String p = "model.layers." + layer + ".";
            for (String proj : List.of("q", "k", "v", "o")) {
                names.add(p + "self_attn." + proj + "_proj.weight");
            }
            for (String proj : List.of("gate", "up", "down")) {
                names.add(p + "mlp." + proj + "_proj.weight");
            }
            names.add(p + "input_layernorm.weight");
            names.add(p + "post_attention_layernorm.weight");
        }
        names.add("model.norm.weight");
        names.add("lm_head.weight");
        assertEquals(names.size(), source.tensors().size());
        return names.stream().<TensorData>map(source::stored).toList();
    }

    static void assertSameFiles(Path expected, Path actual) throws IOException {
        List<String> expectedNames;
        List<String> actualNames;
        try (Stream<Path> a = Files.list(expected); Stream<Path> b = Files.list(actual)) {
            expectedNames = a.map(p -> p.getFileName().toString()).sorted().toList();
            actualNames = b.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(expectedNames, actualNames);
        for (String name : expectedNames) {
            assertArrayEquals(Files.readAllBytes(expected.resolve(name)), Files.readAllBytes(actual.resolve(name)),
                    name + " differs");
        }
    }
}
