package sn37.miner.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes safetensors files byte-identical to Python's {@code safetensors.torch.save_file} for the
 * same tensors. From safetensors' {@code prepare} ({@code src/tensor.rs}): tensors are laid out
 * by dtype, highest in {@link Dtype} order first, then by name; the header is serde_json's
 * compact form ({@code __metadata__} first, then entries in layout order, each with keys
 * {@code dtype, shape, data_offsets}); it is padded with spaces to a multiple of 8 bytes.
 *
 * <p>A {@code __metadata__} map of more than one entry is written sorted by key; Python's order
 * for those is a Rust HashMap's, which varies from run to run.
 */
public final class SafetensorsWriter {

    /** What transformers' {@code save_pretrained} puts in every shard. */
    public static final Map<String, String> PT_FORMAT = Map.of("format", "pt");

    private static final Comparator<TensorData> LAYOUT_ORDER = Comparator
            .comparing(TensorData::dtype, Comparator.reverseOrder())
            .thenComparing(TensorData::name, CodePointOrder.INSTANCE);

    private SafetensorsWriter() {
    }

    /** Writes with {@code __metadata__ {"format":"pt"}}. */
    public static void write(Path file, List<? extends TensorData> tensors) throws IOException {
        write(file, tensors, PT_FORMAT);
    }

    /**
     * Writes {@code file} atomically (a hidden temporary beside it, fsynced, renamed over it).
     *
     * @param metadata the {@code __metadata__} map, or null to leave it out
     */
    public static void write(Path file, List<? extends TensorData> tensors, Map<String, String> metadata)
            throws IOException {
        List<TensorData> ordered = layout(tensors);
        byte[] header = header(ordered, metadata);
        AtomicFiles.writeFile(file, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(header);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            for (TensorData tensor : ordered) {
                long before = channel.position();
                tensor.writeTo(channel);
                long written = channel.position() - before;
                if (written != tensor.byteLength()) {
                    throw new IOException(file + ": tensor '" + tensor.name() + "' wrote " + written
                            + " bytes, expected " + tensor.byteLength());
                }
            }
        });
    }

    /** The first bytes of the file: the 8-byte little-endian header length, then the padded JSON header. */
    public static byte[] header(List<? extends TensorData> tensors, Map<String, String> metadata) {
        List<TensorData> ordered = layout(tensors);
        StringBuilder json = new StringBuilder("{");
        if (metadata != null) {
            json.append("\"__metadata__\":{");
            boolean first = true;
            Map<String, String> sorted = new TreeMap<>(CodePointOrder.INSTANCE);
            sorted.putAll(metadata);
            for (Map.Entry<String, String> entry : sorted.entrySet()) {
                json.append(first ? "" : ",");
                appendString(json, entry.getKey()).append(':');
                appendString(json, entry.getValue());
                first = false;
            }
            json.append('}');
        }
        long offset = 0;
        for (TensorData tensor : ordered) {
            json.append(json.length() > 1 ? "," : "");
            appendString(json, tensor.name()).append(":{\"dtype\":\"").append(tensor.dtype().name())
                    .append("\",\"shape\":[");
            long[] shape = tensor.shape();
            for (int i = 0; i < shape.length; i++) {
                json.append(i > 0 ? "," : "").append(shape[i]);
            }
            long end = offset + tensor.byteLength();
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        byte[] utf8 = encodeUtf8(json);
        int padded = (utf8.length + 7) / 8 * 8;
        if (padded > SafetensorsReader.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("header of " + padded + " bytes exceeds the safetensors limit of "
                    + SafetensorsReader.MAX_HEADER_BYTES);
        }
        ByteBuffer out = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(utf8);
        while (out.hasRemaining()) {
            out.put((byte) ' ');
        }
        return out.array();
    }

    /** The tensors in the order their data is laid out in the file. */
    static List<TensorData> layout(List<? extends TensorData> tensors) {
        Set<String> names = new HashSet<>();
        for (TensorData tensor : tensors) {
            if (tensor.name().equals("__metadata__")) {
                throw new IllegalArgumentException("'__metadata__' is reserved and cannot name a tensor");
            }
            if (!names.add(tensor.name())) {
                throw new IllegalArgumentException("tensor '" + tensor.name() + "' is given twice");
            }
        }
        List<TensorData> ordered = new ArrayList<>(tensors);
        ordered.sort(LAYOUT_ORDER);
        return ordered;
    }

    /** serde_json's escaping: quote, backslash and control characters; everything else raw UTF-8. */
    private static StringBuilder appendString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }

    private static byte[] encodeUtf8(CharSequence text) {
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            byte[] out = new byte[bytes.remaining()];
            bytes.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("a tensor name or metadata string is not valid Unicode"
                    + " (unpaired surrogate)", e);
        }
    }
}
