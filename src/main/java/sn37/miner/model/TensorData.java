package sn37.miner.model;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/** A named tensor to be written: its header entry and a way to produce its little-endian bytes. */
public sealed interface TensorData permits FloatTensor, DeferredFloatTensor, ByteTensor, StoredTensor {

    String name();

    Dtype dtype();

    long[] shape();

    default long byteLength() {
        return Math.multiplyExact(TensorInfo.elementCount(shape()), dtype().byteSize());
    }

    /** Writes exactly {@link #byteLength()} bytes. */
    void writeTo(WritableByteChannel out) throws IOException;
}
