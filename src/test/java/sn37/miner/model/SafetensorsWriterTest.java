package sn37.miner.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {

    @TempDir
    Path dir;

    private static final List<TensorData> TWO = List.of(
            new FloatTensor("b", Dtype.BF16, new long[] {2}, new float[] {0.5f, -1f}),
            new FloatTensor("weight", Dtype.F32, new long[] {2, 2}, new float[] {1, 2, 3, 4}));

    @Test
    void headerOfTwoTensorsMatchesTheSpec() {
        // F32 sorts above BF16, so "weight" comes first despite its name; 149 bytes of JSON are
        // padded with 3 spaces to 152 = 0x98. Python's save_file gives these same bytes.
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[16,20]}}   ";
        byte[] expected = concat(HexFormat.of().parseHex("9800000000000000"), json.getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(expected, SafetensorsWriter.header(TWO, SafetensorsWriter.PT_FORMAT));
    }

    @Test
    void writtenFileIsTheHeaderThenTheDataInLayoutOrder() throws IOException {
        Path file = dir.resolve("two.safetensors");
        SafetensorsWriter.write(file, TWO);
        byte[] data = HexFormat.of().parseHex("0000803f000000400000404000008040" + "003f80bf");
        assertArrayEquals(concat(SafetensorsWriter.header(TWO, SafetensorsWriter.PT_FORMAT), data),
                Files.readAllBytes(file));
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertEquals(List.of("weight", "b"), reader.tensors().stream().map(TensorInfo::name).toList());
            assertArrayEquals(new float[] {1, 2, 3, 4}, reader.readFloats("weight"));
            assertArrayEquals(new float[] {0.5f, -1f}, reader.readFloats("b"));
            assertEquals(Map.of("format", "pt"), reader.metadata().orElseThrow());
        }
    }

    @Test
    void laysOutByDescendingDtypeThenByName() {
        List<TensorData> tensors = List.of(
                new ByteTensor("a", Dtype.BOOL, new long[] {1}, new byte[] {1}),
                new FloatTensor("c", Dtype.F16, new long[] {1}, new float[] {1}),
                new ByteTensor("z", Dtype.I64, new long[] {}, new byte[8]),
                new FloatTensor("b", Dtype.F16, new long[] {1}, new float[] {1}),
                new FloatTensor("\u00e9", Dtype.F32, new long[] {1}, new float[] {1}),
                new FloatTensor("\uD83D\uDE00", Dtype.F32, new long[] {1}, new float[] {1}),
                new FloatTensor("\uFFFD", Dtype.F32, new long[] {1}, new float[] {1}),
                new FloatTensor("y", Dtype.BF16, new long[] {1}, new float[] {1}));
        // U+1F600 sorts after U+FFFD by code point (and UTF-8 bytes), though not by UTF-16 unit.
        assertEquals(List.of("z", "\u00e9", "\uFFFD", "\uD83D\uDE00", "y", "b", "c", "a"),
                SafetensorsWriter.layout(tensors).stream().map(TensorData::name).toList());
    }

    @Test
    void escapesNamesAsSerdeJsonDoes() {
        byte[] header = SafetensorsWriter.header(List.of(new ByteTensor(
                "q\"\\\n\u0001\u007f\u001f\b\f\u00fc", Dtype.U8, new long[] {0}, new byte[0])), null);
        // Python: save_file({'q"\\\n\x01\x7f\x1f\x08\x0c\u00fc': torch.zeros(0, dtype=torch.uint8)}, f)
        byte[] python = concat(HexFormat.of().parseHex("5000000000000000"),
                "{\"q\\\"\\\\\\n\\u0001\u007f\\u001f\\b\\f\u00fc\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}}  "
                        .getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(python, header);
    }

    @Test
    void replacesAnExistingFileAtomicallyAndLeavesNoTemporary() throws IOException {
        Path file = dir.resolve("w.safetensors");
        Files.writeString(file, "old");
        SafetensorsWriter.write(file, TWO);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertEquals(2, reader.tensors().size());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path file = dir.resolve("w.safetensors");
        Files.writeString(file, "old");
        TensorData failing = closedSource(dir.resolve("source.safetensors"));
        assertThrows(IOException.class, () -> SafetensorsWriter.write(file, List.of(failing)));
        Files.delete(dir.resolve("source.safetensors"));
        assertEquals("old", Files.readString(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void rejectsDuplicateAndReservedNamesAndMismatchedData() {
        TensorData a = new FloatTensor("a", Dtype.F32, new long[] {1}, new float[] {1});
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.header(List.of(a, a), null));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.header(
                List.of(new FloatTensor("__metadata__", Dtype.F32, new long[] {1}, new float[] {1})), null));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> new FloatTensor("w", Dtype.BF16, new long[] {2, 2}, new float[3]));
        assertTrue(shape.getMessage().contains("tensor 'w': shape [2, 2] holds 4 elements but 3 values"),
                shape.getMessage());
        IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class,
                () -> new FloatTensor("ids", Dtype.I64, new long[] {1}, new float[1]));
        assertTrue(dtype.getMessage().contains("not I64"), dtype.getMessage());
        IllegalArgumentException bytes = assertThrows(IllegalArgumentException.class,
                () -> new ByteTensor("m", Dtype.F16, new long[] {3}, new byte[5]));
        assertTrue(bytes.getMessage().contains("F16 [3] needs 6 bytes but 5"), bytes.getMessage());
    }

    @Test
    void narrowsFloatsToF16AndBf16WithRoundToNearestEven() throws IOException {
        float tie = 1 + 0x1p-11f;
        Path file = dir.resolve("n.safetensors");
        SafetensorsWriter.write(file, List.of(
                new FloatTensor("h", Dtype.F16, new long[] {2}, new float[] {tie, 65520f}),
                new FloatTensor("b", Dtype.BF16, new long[] {2}, new float[] {1.00390625f, 1.01171875f})));
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertArrayEquals(SafetensorsFiles.littleEndianShorts(0x3C00, 0x7C00), reader.readBytes("h"));
            assertArrayEquals(SafetensorsFiles.littleEndianShorts(0x3F80, 0x3F82), reader.readBytes("b"));
        }
    }

    /** A tensor whose reader is already closed, so writing it fails midway. */
    static StoredTensor closedSource(Path file) throws IOException {
        SafetensorsWriter.write(file, TWO);
        SafetensorsReader reader = SafetensorsReader.open(file);
        reader.close();
        return new StoredTensor(reader, reader.tensor("weight"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
