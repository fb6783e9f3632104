package sn37.miner.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import sn37.miner.model.llama.NoGrad;

/**
 * torch.optim.AdamW (single-tensor path, no amsgrad), written on NDArrays because DJL's Adam
 * places epsilon and the bias correction differently. Per parameter p with gradient g at step t:
 * <pre>
 *   p   *= 1 - lr * weight_decay                (decoupled decay, every parameter, as the reference)
 *   m   += (1 - beta1) * (g - m)                (exp_avg.lerp_(g, 1 - beta1))
 *   v    = beta2 * v + (1 - beta2) * g * g
 *   p   -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * Outside autograd, so scalars may be plain numbers here (DJL's {@code mul(Number)} defect is a
 * backward-pass problem).
 */
public final class AdamW implements AutoCloseable {

    private final Map<String, NDArray> parameters;
    private final double weightDecay;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final NDManager manager;
    private final Map<String, NDArray> expAvg = new LinkedHashMap<>();
    private final Map<String, NDArray> expAvgSq = new LinkedHashMap<>();
    private int step;

    /** @param parameters trainable parameters by name, kept by reference */
    public AdamW(Map<String, NDArray> parameters, NDManager parent, double weightDecay, double beta1, double beta2,
            double eps) {
        this.parameters = parameters;
        this.weightDecay = weightDecay;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.manager = parent.newSubManager();
        parameters.forEach((name, p) -> {
            expAvg.put(name, manager.zeros(p.getShape()));
            expAvgSq.put(name, manager.zeros(p.getShape()));
        });
    }

    /** Optimizer steps taken so far (torch's {@code state["step"]}). */
    public int steps() {
        return step;
    }

    /** Applies one update with learning rate {@code lr} from the gradients the parameters hold. */
    public void step(double lr) {
        step++;
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        double stepSize = lr / biasCorrection1;
        try (NoGrad ignored = NoGrad.enter()) {
            for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
                // One scope per parameter: its temporaries are freed before the next parameter's are made.
                try (NDManager scope = manager.newSubManager()) {
                    NDArray p = entry.getValue();
                    NDArray m = expAvg.get(entry.getKey());
                    NDArray v = expAvgSq.get(entry.getKey());
                    NDArray g = p.getGradient();
                    // Results belong to their first operand's manager: lend these to the scope so the
                    // temporaries below are freed with it, and the states go back when it closes.
                    g.attach(scope);
                    m.tempAttach(scope);
                    v.tempAttach(scope);
                    p.tempAttach(scope);
                    p.muli(1 - lr * weightDecay);
                    m.addi(g.sub(m).muli(1 - beta1));
                    v.muli(beta2).addi(g.mul(1 - beta2).muli(g));
                    NDArray denom = v.sqrt().divi(biasCorrection2Sqrt).addi(eps);
                    p.addi(m.mul(-stepSize).divi(denom));
                }
            }
        }
    }

    /** Sets every gradient to zero (torch's {@code zero_grad(set_to_none=False)}). */
    public void zeroGrad() {
        try (NoGrad ignored = NoGrad.enter()) {
            // zero_() in native code: no wrapper per gradient, and a NaN gradient is cleared too.
            parameters.values().forEach(p -> JniUtils.zeroGrad((PtNDArray) p));
        }
    }

    /** The moments, {@code exp_avg.<name>} and {@code exp_avg_sq.<name>}, for a checkpoint. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        expAvg.forEach((name, m) -> state.put("exp_avg." + name, m));
        expAvgSq.forEach((name, v) -> state.put("exp_avg_sq." + name, v));
        return state;
    }

    /** Restores the moments and the step count of a checkpoint. */
    public void load(Checkpoint.Tensors state, int steps) throws IOException {
        try (NoGrad ignored = NoGrad.enter()) {
            for (Map.Entry<String, NDArray> entry : state().entrySet()) {
                float[] values = state.get(entry.getKey());
                if (values == null || values.length != entry.getValue().size()) {
                    throw new IllegalArgumentException("optimizer state '" + entry.getKey() + "' is missing or has "
                            + (values == null ? 0 : values.length) + " values, expected " + entry.getValue().size());
                }
                entry.getValue().set(values);
            }
        }
        this.step = steps;
    }

    @Override
    public void close() {
        manager.close();
    }
}
