package sn37.miner.model.llama;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import sn37.miner.model.SafetensorsReader;

/** Files of src/test/resources/model/llama, written by make_golden.py (see the README there). */
public final class Golden {

    private Golden() {
    }

    public static Path path(String name) {
        try {
            return Path.of(Golden.class.getResource("/model/llama/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static float[] floats(String file, String tensor) {
        try (SafetensorsReader reader = SafetensorsReader.open(path(file))) {
            return reader.readFloats(tensor);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long[] longs(String file, String tensor) {
        try (SafetensorsReader reader = SafetensorsReader.open(path(file))) {
            ByteBuffer bytes = ByteBuffer.wrap(reader.readBytes(tensor)).order(ByteOrder.LITTLE_ENDIAN);
            long[] out = new long[bytes.remaining() / 8];
            bytes.asLongBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
