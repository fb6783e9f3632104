package sn37.miner.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsReaderTest {

    @TempDir
    Path dir;

    private CheckpointFormatException rejects(Path file, String... fragments) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsReader.open(file));
        assertTrue(e.getMessage().startsWith(file.toString()), () -> "names the file: " + e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void readsFloatsOfEachFloatDtype() throws IOException {
        byte[] f32 = SafetensorsFiles.littleEndianFloats(1.5f, -2f);
        byte[] bf16 = SafetensorsFiles.littleEndianShorts(0x3FC0, 0xC000, 0x7F80);
        byte[] f16 = SafetensorsFiles.littleEndianShorts(0x3E00, 0x0001, 0xFC00);
        ByteBuffer data = ByteBuffer.allocate(20).put(f32).put(bf16).put(f16);
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[8,14]},"
                + "\"c\":{\"dtype\":\"F16\",\"shape\":[1,3],\"data_offsets\":[14,20]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Path file = SafetensorsFiles.write(dir.resolve("x.safetensors"), json.length, json, data.array());
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertArrayEquals(new float[] {1.5f, -2f}, reader.readFloats("a"));
            assertArrayEquals(new float[] {1.5f, -2f, Float.POSITIVE_INFINITY}, reader.readFloats("b"));
            assertArrayEquals(new float[] {1.5f, 0x1p-24f, Float.NEGATIVE_INFINITY}, reader.readFloats("c"));
            assertArrayEquals(new long[] {1, 3}, reader.tensor("c").shape());
            assertArrayEquals(bf16, reader.readBytes("b"));
            assertEquals(8 + json.length, reader.dataStart());
            assertFalse(reader.metadata().isPresent());
        }
    }

    @Test
    void listsTensorsInOffsetOrderWhateverTheHeaderOrder() throws IOException {
        Path file = SafetensorsFiles.write(dir.resolve("x.safetensors"),
                "{\"z\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},"
                        + "\"__metadata__\":{\"format\":\"pt\",\"note\":\"x\"},"
                        + "\"a\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[2,10]},"
                        + "\"e\":{\"dtype\":\"F32\",\"shape\":[0,4],\"data_offsets\":[2,2]}}", 10);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertEquals(List.of("z", "e", "a"), reader.tensors().stream().map(TensorInfo::name).toList());
            assertEquals(Map.of("format", "pt", "note", "x"), reader.metadata().orElseThrow());
            assertEquals(1, reader.tensor("a").elementCount());
            assertEquals(0, reader.readFloats("e").length);
        }
    }

    @Test
    void copiesRawBytesToAChannel() throws IOException {
        String header = "{\"t\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Path file = SafetensorsFiles.write(dir.resolve("x.safetensors"), json.length, json,
                new byte[] {1, 0, 0, 0, 2, 0, 0, 0});
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            reader.copyTo("t", Channels.newChannel(out));
            assertArrayEquals(new byte[] {1, 0, 0, 0, 2, 0, 0, 0}, out.toByteArray());
            assertEquals(2, reader.map("t").order(ByteOrder.LITTLE_ENDIAN).getInt(4));
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> reader.readFloats("t"));
            assertTrue(e.getMessage().contains("'t' is I32"), e.getMessage());
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> reader.readBytes("u"));
            assertTrue(missing.getMessage().contains(file + ": no tensor 'u'"), missing.getMessage());
        }
    }

    @Test
    void readsATensorLyingPastTwoGibibytes() throws IOException {
        long padding = (1L << 31) + 12;
        String header = "{\"pad\":{\"dtype\":\"U8\",\"shape\":[" + padding + "],\"data_offsets\":[0," + padding + "]},"
                + "\"x\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[" + padding + "," + (padding + 4) + "]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("big.safetensors");
        long dataStart = 8 + json.length;
        // Sparse: only the header and the last four bytes are written.
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
            raf.write(json);
            raf.seek(dataStart + padding);
            raf.write(SafetensorsFiles.littleEndianShorts(0x3F80, 0xC040));
        }
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertArrayEquals(new float[] {1f, -3f}, reader.readFloats("x"));
            assertEquals(padding, reader.tensor("pad").byteLength());
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> reader.readBytes("pad"));
            assertTrue(e.getMessage().contains("more than a Java array holds"), e.getMessage());
        }
    }

    @Test
    void rejectsAFileShorterThanTheLengthField() throws IOException {
        Path file = dir.resolve("short.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        rejects(file, "3 bytes", "8-byte header length");
    }

    @Test
    void rejectsAHeaderLengthPastTheEndOfTheFile() throws IOException {
        byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
        rejects(SafetensorsFiles.write(dir.resolve("x.safetensors"), 1000, json, new byte[0]),
                "header length 1000 runs past the end of the file (10 bytes)");
        rejects(SafetensorsFiles.write(dir.resolve("y.safetensors"), -1, json, new byte[0]),
                "header length 18446744073709551615 runs past");
    }

    @Test
    void rejectsAHeaderThatIsNotUtf8() throws IOException {
        byte[] header = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        rejects(SafetensorsFiles.write(dir.resolve("x.safetensors"), header.length, header, new byte[0]),
                "header is not valid UTF-8");
    }

    @Test
    void rejectsAHeaderThatIsNotJson() throws IOException {
        rejects(SafetensorsFiles.write(dir.resolve("a.safetensors"), "{\"t\": nope}", 0), "header is not valid JSON");
        rejects(SafetensorsFiles.write(dir.resolve("b.safetensors"), "[1, 2]  ", 0), "header is not a JSON object");
        rejects(SafetensorsFiles.write(dir.resolve("c.safetensors"), "{} {}", 0), "header is not valid JSON");
        rejects(SafetensorsFiles.write(dir.resolve("d.safetensors"),
                "{\"t\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                        + "\"t\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", 2),
                "line 1, column ", "a key appears twice");
    }

    @Test
    void rejectsOverlappingOffsets() throws IOException {
        rejects(SafetensorsFiles.write(dir.resolve("x.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
                "the tensor at data bytes [4, 12) overlaps the one at [0, 8)");
    }

    @Test
    void rejectsAHoleBetweenTensors() throws IOException {
        rejects(SafetensorsFiles.write(dir.resolve("x.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12),
                "a tensor starts at data byte 8 but the one before ends at 4", "without holes");
        rejects(SafetensorsFiles.write(dir.resolve("y.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
                "a tensor starts at data byte 4 but the data section starts at 0");
    }

    @Test
    void rejectsADtypeAndShapeThatDisagreeWithTheByteSpan() throws IOException {
        rejects(SafetensorsFiles.write(dir.resolve("x.safetensors"),
                "{\"w\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[0,24]}}", 24),
                "header entry 1: BF16 [2, 3] needs 12 bytes but data_offsets [0, 24] span 24");
    }

    @Test
    void rejectsATruncatedFile() throws IOException {
        rejects(SafetensorsFiles.write(dir.resolve("x.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 10),
                "truncated", "the file has");
    }

    @Test
    void rejectsBytesAfterTheLastTensor() throws IOException {
        rejects(SafetensorsFiles.write(dir.resolve("x.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 6),
                "2 bytes follow the last tensor");
    }

    @Test
    void rejectsUnknownAndSubByteDtypes() throws IOException {
        rejects(SafetensorsFiles.write(dir.resolve("x.safetensors"),
                "{\"w\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,16]}}", 16),
                "header entry 1: its dtype is not a safetensors dtype", "BF16");
        rejects(SafetensorsFiles.write(dir.resolve("y.safetensors"),
                "{\"w\":{\"dtype\":\"F4\",\"shape\":[2],\"data_offsets\":[0,1]}}", 1),
                "header entry 1: its dtype packs elements into fractions of a byte");
    }

    @Test
    void rejectsMalformedEntries() throws IOException {
        rejects(SafetensorsFiles.write(dir.resolve("a.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4),
                "header entry 1: 'shape' must be an array of non-negative integers");
        rejects(SafetensorsFiles.write(dir.resolve("b.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4),
                "'data_offsets' must be an array of 2 non-negative integers");
        rejects(SafetensorsFiles.write(dir.resolve("c.safetensors"),
                "{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "header entry 1: missing string 'dtype'");
        rejects(SafetensorsFiles.write(dir.resolve("d.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4), "end before they begin");
        rejects(SafetensorsFiles.write(dir.resolve("e.safetensors"),
                "{\"__metadata__\":{\"format\":1}}", 0), "__metadata__ must be an object of strings, but a value is number");
        rejects(SafetensorsFiles.write(dir.resolve("f.safetensors"),
                "{\"w\":{\"dtype\":\"U8\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}", 0),
                "overflows");
    }
}
