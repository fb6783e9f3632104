package sn37.miner.model;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/** A tensor of an open safetensors file, copied byte for byte; the reader must stay open until written. */
public record StoredTensor(SafetensorsReader source, TensorInfo info) implements TensorData {

    @Override
    public String name() {
        return info.name();
    }

    @Override
    public Dtype dtype() {
        return info.dtype();
    }

    @Override
    public long[] shape() {
        return info.shape();
    }

    @Override
    public long byteLength() {
        return info.byteLength();
    }

    @Override
    public void writeTo(WritableByteChannel out) throws IOException {
        source.copyTo(info.name(), out);
    }
}
