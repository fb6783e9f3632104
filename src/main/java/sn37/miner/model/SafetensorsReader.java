package sn37.miner.model;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import sn37.miner.io.InputFiles;
import sn37.miner.io.JsonSyntax;

/**
 * Reads a safetensors file: an 8-byte little-endian header length n, n bytes of UTF-8 JSON,
 * then the tensor data. Validation follows safetensors' {@code SafeTensors::read_metadata} and
 * {@code Metadata::validate} ({@code src/tensor.rs}): the header fits the file and the 100 MB
 * limit, every entry's byte span equals its element count times its element size, and the
 * spans, taken in offset order, cover the data section from 0 to the end of the file with
 * neither holes nor overlaps.
 *
 * <p>Tensor data is memory-mapped on demand in regions under 2 GiB, so files and tensors of any
 * size can be read. Safe for concurrent reads; {@link #close()} ends them.
 */
public final class SafetensorsReader implements AutoCloseable {

    /** safetensors' {@code MAX_HEADER_SIZE}. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final long MAP_CHUNK_BYTES = 256L << 20;
    private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    private static final ObjectMapper HEADER_JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, String> metadata;
    private final Map<String, TensorInfo> tensors;

    private SafetensorsReader(Path file, FileChannel channel, long dataStart, Map<String, String> metadata,
            Map<String, TensorInfo> tensors) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.metadata = metadata;
        this.tensors = tensors;
    }

    public static SafetensorsReader open(Path file) throws IOException {
        InputFiles.requireRegularFile(file, "safetensors file");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size < 8) {
                throw new CheckpointFormatException(file, "file has " + size
                        + " bytes; a safetensors file starts with an 8-byte header length");
            }
            long headerLength = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength < 0 || headerLength > size - 8) {
                throw new CheckpointFormatException(file, "header length " + Long.toUnsignedString(headerLength)
                        + " runs past the end of the file (" + size + " bytes)");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw new CheckpointFormatException(file, "header length " + headerLength
                        + " exceeds the safetensors limit of " + MAX_HEADER_BYTES + " bytes");
            }
            String header = decodeUtf8(file, readFully(channel, 8, (int) headerLength));
            Map<String, String> metadata = new LinkedHashMap<>();
            boolean hasMetadata = false;
            List<TensorInfo> entries = new ArrayList<>();
            JsonNode root = parseJson(file, header);
            int entry = 0;
            for (Map.Entry<String, JsonNode> field : root.properties()) {
                entry++;
                if (field.getKey().equals("__metadata__")) {
                    hasMetadata = readMetadata(file, field.getValue(), metadata);
                } else {
                    entries.add(readEntry(file, entry, field.getKey(), field.getValue()));
                }
            }
            Map<String, TensorInfo> tensors = checkLayout(file, entries, 8 + headerLength, size);
            return new SafetensorsReader(file, channel, 8 + headerLength,
                    hasMetadata ? Collections.unmodifiableMap(metadata) : null, tensors);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** The header's {@code __metadata__} string map, if it has one. */
    public Optional<Map<String, String>> metadata() {
        return Optional.ofNullable(metadata);
    }

    /** All entries, in data offset order. */
    public List<TensorInfo> tensors() {
        return List.copyOf(tensors.values());
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public TensorInfo tensor(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new IllegalArgumentException(file + ": no tensor '" + name + "'");
        }
        return info;
    }

    /** File position of the data section (8 + header length). */
    public long dataStart() {
        return dataStart;
    }

    /** The tensor's elements as F32; F16 and BF16 are widened exactly. */
    public float[] readFloats(String name) throws IOException {
        TensorInfo info = tensor(name);
        if (!info.dtype().holdsFloats()) {
            throw new CheckpointFormatException(file, "tensor '" + name + "' is " + info.dtype()
                    + "; readFloats needs F32, F16 or BF16 (use readBytes for raw data)");
        }
        if (info.elementCount() > MAX_ARRAY_LENGTH) {
            throw new CheckpointFormatException(file, "tensor '" + name + "' has " + info.elementCount()
                    + " elements, more than a Java array holds (" + MAX_ARRAY_LENGTH + ")");
        }
        float[] out = new float[(int) info.elementCount()];
        int elementSize = info.dtype().byteSize();
        long chunkElements = MAP_CHUNK_BYTES / elementSize;
        for (int done = 0; done < out.length; ) {
            int count = (int) Math.min(chunkElements, out.length - done);
            ByteBuffer bytes = mapRegion(dataStart + info.begin() + (long) done * elementSize,
                    (long) count * elementSize);
            switch (info.dtype()) {
                case F32 -> bytes.asFloatBuffer().get(out, done, count);
                case BF16 -> {
                    ShortBuffer halves = bytes.asShortBuffer();
                    for (int i = 0; i < count; i++) {
                        out[done + i] = HalfFloats.bf16ToF32(halves.get(i));
                    }
                }
                default -> {
                    ShortBuffer halves = bytes.asShortBuffer();
                    for (int i = 0; i < count; i++) {
                        out[done + i] = HalfFloats.f16ToF32(halves.get(i));
                    }
                }
            }
            done += count;
        }
        return out;
    }

    /** The tensor's raw little-endian bytes, copied onto the heap. */
    public byte[] readBytes(String name) throws IOException {
        TensorInfo info = tensor(name);
        if (info.byteLength() > MAX_ARRAY_LENGTH) {
            throw new CheckpointFormatException(file, "tensor '" + name + "' has " + info.byteLength()
                    + " bytes, more than a Java array holds; use copyTo");
        }
        byte[] out = new byte[(int) info.byteLength()];
        if (out.length > 0) {
            mapRegion(dataStart + info.begin(), out.length).get(out);
        }
        return out;
    }

    /** A read-only, little-endian mapping of the tensor's bytes (under 2 GiB). */
    public ByteBuffer map(String name) throws IOException {
        TensorInfo info = tensor(name);
        if (info.byteLength() > Integer.MAX_VALUE) {
            throw new CheckpointFormatException(file, "tensor '" + name + "' has " + info.byteLength()
                    + " bytes; a single mapping holds at most " + Integer.MAX_VALUE + "; use copyTo");
        }
        return mapRegion(dataStart + info.begin(), info.byteLength());
    }

    /** Copies the tensor's raw bytes to {@code out}, for any size. */
    public void copyTo(String name, WritableByteChannel out) throws IOException {
        TensorInfo info = tensor(name);
        long position = dataStart + info.begin();
        long remaining = info.byteLength();
        while (remaining > 0) {
            long sent = channel.transferTo(position, remaining, out);
            if (sent <= 0) {
                // transferTo may send nothing on some channels; fall back to a mapped write.
                ByteBuffer chunk = mapRegion(position, Math.min(remaining, MAP_CHUNK_BYTES));
                sent = chunk.remaining();
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            }
            position += sent;
            remaining -= sent;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private ByteBuffer mapRegion(long position, long length) throws IOException {
        if (position + length > channel.size()) {
            throw new CheckpointFormatException(file, "file shrank to " + channel.size()
                    + " bytes while open; data runs to byte " + (position + length));
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, position, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException("end of file at byte " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }

    private static String decodeUtf8(Path file, ByteBuffer bytes) throws CheckpointFormatException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointFormatException(file, "header is not valid UTF-8");
        }
    }

    private static JsonNode parseJson(Path file, String header) throws CheckpointFormatException {
        JsonNode root;
        try {
            root = HEADER_JSON.readTree(header);
        } catch (JacksonException e) {
            // no cause and no Jackson text: it quotes the header, which may be anything
            throw new CheckpointFormatException(file, "header is not valid JSON (" + JsonSyntax.describe(e) + ")");
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointFormatException(file, "header is not a JSON object");
        }
        return root;
    }

    private static boolean readMetadata(Path file, JsonNode node, Map<String, String> into)
            throws CheckpointFormatException {
        if (node.isNull()) {
            return false;
        }
        if (!node.isObject()) {
            throw new CheckpointFormatException(file, "__metadata__ must be an object of strings, found "
                    + kind(node));
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw new CheckpointFormatException(file, "__metadata__ must be an object of strings, but a value"
                        + " is " + kind(field.getValue()));
            }
            into.put(field.getKey(), field.getValue().textValue());
        }
        return true;
    }

    /** Names the entry by its place in the header: a tensor name is the file's text and may be anything. */
    private static TensorInfo readEntry(Path file, int entry, String name, JsonNode node)
            throws CheckpointFormatException {
        String where = "header entry " + entry;
        if (!node.isObject()) {
            throw new CheckpointFormatException(file, where + ": expected {dtype, shape, data_offsets}, found "
                    + kind(node));
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new CheckpointFormatException(file, where + ": missing string 'dtype'");
        }
        String dtypeName = dtypeNode.textValue();
        Dtype dtype = Dtype.of(dtypeName).orElseThrow(() -> new CheckpointFormatException(file, where
                + (dtypeName.startsWith("F4") || dtypeName.startsWith("F6_")
                        ? ": its dtype packs elements into fractions of a byte, which is not supported"
                        : ": its dtype is not a safetensors dtype") + " (expected one of "
                        + Arrays.toString(Dtype.values()) + ")"));
        long[] shape = naturals(file, where, "shape", node.get("shape"), -1);
        long[] offsets = naturals(file, where, "data_offsets", node.get("data_offsets"), 2);
        if (offsets[1] < offsets[0]) {
            throw new CheckpointFormatException(file, where + ": data_offsets [" + offsets[0] + ", " + offsets[1]
                    + "] end before they begin");
        }
        long expected;
        try {
            expected = Math.multiplyExact(TensorInfo.elementCount(shape), dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new CheckpointFormatException(file, where + ": shape " + Arrays.toString(shape)
                    + " overflows a 64-bit byte count");
        }
        if (offsets[1] - offsets[0] != expected) {
            throw new CheckpointFormatException(file, where + ": " + dtype + " " + Arrays.toString(shape)
                    + " needs " + expected + " bytes but data_offsets [" + offsets[0] + ", " + offsets[1]
                    + "] span " + (offsets[1] - offsets[0]));
        }
        return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] naturals(Path file, String where, String key, JsonNode node, int length)
            throws CheckpointFormatException {
        String expected = length < 0 ? "an array of non-negative integers"
                : "an array of " + length + " non-negative integers";
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
            throw new CheckpointFormatException(file, where + ": '" + key + "' must be " + expected
                    + ", found " + (node == null ? "none" : kind(node)));
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = node.get(i);
            if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
                throw new CheckpointFormatException(file, where + ": '" + key + "' must be " + expected
                        + ", found " + kind(value) + " at index " + i);
            }
            values[i] = value.longValue();
        }
        return values;
    }

    private static Map<String, TensorInfo> checkLayout(Path file, List<TensorInfo> entries, long dataStart,
            long fileSize) throws CheckpointFormatException {
        entries.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        TensorInfo previous = null;
        long covered = 0;
        for (TensorInfo info : entries) {
            if (info.begin() > covered) {
                throw new CheckpointFormatException(file, "a tensor starts at data byte " + info.begin() + " but "
                        + (previous == null ? "the data section starts at 0" : "the one before ends at " + covered)
                        + ": tensors must cover the data section without holes");
            }
            if (info.begin() < covered) {
                throw new CheckpointFormatException(file, "the tensor at data bytes [" + info.begin() + ", "
                        + info.end() + ") overlaps the one at [" + previous.begin() + ", " + previous.end() + ")");
            }
            covered = info.end();
            previous = info;
            byName.put(info.name(), info);
        }
        long dataEnd = dataStart + covered;
        if (dataEnd > fileSize) {
            throw new CheckpointFormatException(file, "truncated: the header declares data up to byte " + dataEnd
                    + " but the file has " + fileSize + " bytes");
        }
        if (dataEnd < fileSize) {
            throw new CheckpointFormatException(file, (fileSize - dataEnd)
                    + " bytes follow the last tensor (data ends at byte " + dataEnd
                    + "); safetensors requires the tensors to cover the file to its end");
        }
        return Collections.unmodifiableMap(byName);
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
