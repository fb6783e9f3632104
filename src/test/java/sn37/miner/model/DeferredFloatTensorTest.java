package sn37.miner.model;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving a model copies one tensor at a time from the device, when the writer reaches it. */
class DeferredFloatTensorTest {
    @TempDir Path dir;

    @Test
    void valuesAreProducedOncePerTensorInFileOrderOnlyWhileWritingAndGiveTheSameBytes() throws Exception {
        List<String> produced = new ArrayList<>();
        List<TensorData> deferred = new ArrayList<>();
        List<TensorData> eager = new ArrayList<>();
        for (String name : List.of("a.weight", "b.weight", "c.bias")) {
            float[] values = {name.length(), -0.5f, 3.25f, 1e-3f};
            deferred.add(new DeferredFloatTensor(name, Dtype.BF16, new long[] {2, 2}, () -> {
                produced.add(name);
                return values.clone();
            }));
            eager.add(new FloatTensor(name, Dtype.BF16, new long[] {2, 2}, values));
        }
        assertEquals(List.of(), produced, "nothing is copied before the writer needs it");
        SafetensorsWriter.write(dir.resolve("deferred.safetensors"), deferred);
        SafetensorsWriter.write(dir.resolve("eager.safetensors"), eager);
        assertEquals(List.of("a.weight", "b.weight", "c.bias"), produced);
        assertArrayEquals(Files.readAllBytes(dir.resolve("eager.safetensors")),
                Files.readAllBytes(dir.resolve("deferred.safetensors")));
    }

    @Test
    void valuesThatDoNotFitTheShapeFailNamingTheTensor() {
        DeferredFloatTensor t = new DeferredFloatTensor("w", Dtype.F32, new long[] {2, 2}, () -> new float[3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.write(dir.resolve("bad.safetensors"), List.of(t)));
        assertTrue(e.getMessage().contains("tensor 'w'"), e.getMessage());
    }
}
