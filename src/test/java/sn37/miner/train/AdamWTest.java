package sn37.miner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sn37.miner.model.SafetensorsReader;

/** Against torch.optim.AdamW(lr, weight_decay=0.01) on one tensor (make_golden.py, adamw.safetensors). */
class AdamWTest {

    static float[] golden(String tensor) throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(
                sn37.miner.model.llama.Golden.path("adamw.safetensors"))) {
            return reader.readFloats(tensor);
        }
    }

    @Test
    void matchesTorchAdamWStepByStepWithChangingLearningRate() throws Exception {
        double[] lrs = {1e-2, 3e-3, 5e-2};
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray param = manager.create(golden("param0"), new Shape(3, 5));
            param.setRequiresGradient(true);
            try (AdamW adam = new AdamW(Map.of("p", param), manager, 0.01, 0.9, 0.999, 1e-8)) {
                for (int step = 1; step <= 3; step++) {
                    setGradient(param, golden("grad" + step));
                    adam.step(lrs[step - 1]);
                    adam.zeroGrad();
                    assertClose(golden("param" + step), param.toFloatArray(), "param after step " + step);
                    assertClose(golden("exp_avg" + step), adam.state().get("exp_avg.p").toFloatArray(), "exp_avg " + step);
                    assertClose(golden("exp_avg_sq" + step), adam.state().get("exp_avg_sq.p").toFloatArray(),
                            "exp_avg_sq " + step);
                }
                assertEquals(3, adam.steps());
            }
        }
    }

    @Test
    void decaysWeightsEvenWithoutGradient() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray param = manager.create(new float[] {2f, -4f});
            param.setRequiresGradient(true);
            try (AdamW adam = new AdamW(Map.of("p", param), manager, 0.01, 0.9, 0.999, 1e-8)) {
                setGradient(param, new float[] {0f, 0f});
                adam.step(0.5);
                // Decoupled decay: p * (1 - lr * wd); the Adam term is 0 for a zero gradient.
                assertEquals(2f * (1 - 0.005f), param.toFloatArray()[0], 1e-7);
                assertEquals(-4f * (1 - 0.005f), param.toFloatArray()[1], 1e-7);
            }
        }
    }

    /** Makes param.grad == values by differentiating sum(param * values). */
    static void setGradient(NDArray param, float[] values) {
        try (NDManager scope = param.getManager().newSubManager();
                GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray loss = param.mul(scope.create(values, param.getShape())).sum();
            collector.backward(loss);
        }
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])), what + " element " + i);
        }
    }
}
