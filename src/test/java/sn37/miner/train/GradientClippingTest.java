package sn37.miner.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    @Test
    void scalesAllGradientsByOneFactorWhenTheGlobalNormIsTooLarge() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray a = manager.create(new float[] {1f, 1f});
            NDArray b = manager.create(new float[] {1f});
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            AdamWTest.setGradient(a, new float[] {3f, 0f});
            AdamWTest.setGradient(b, new float[] {4f});
            double norm = GradientClipping.clip(List.of(a, b), manager, 1.0);
            assertEquals(5.0, norm, 1e-6);
            double coefficient = 1.0 / (5.0 + 1e-6);
            assertArrayEquals(new float[] {(float) (3 * coefficient), 0f}, a.getGradient().toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {(float) (4 * coefficient)}, b.getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void leavesSmallGradientsAlone() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray a = manager.create(new float[] {1f, 1f});
            a.setRequiresGradient(true);
            AdamWTest.setGradient(a, new float[] {0.3f, 0.4f});
            assertEquals(0.5, GradientClipping.clip(List.of(a), manager, 1.0), 1e-6);
            assertArrayEquals(new float[] {0.3f, 0.4f}, a.getGradient().toFloatArray());
        }
    }
}
