package sn37.miner.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collection;
import sn37.miner.model.llama.NoGrad;

/** torch.nn.utils.clip_grad_norm_: scale all gradients together so their global L2 norm is at most a limit. */
public final class GradientClipping {

    private GradientClipping() {
    }

    /**
     * @param maxNorm the limit; 0 only measures
     * @return the global norm before clipping
     */
    public static double clip(Collection<NDArray> parameters, NDManager parent, double maxNorm) {
        try (NoGrad ignored = NoGrad.enter(); NDManager scope = parent.newSubManager()) {
            double squares = 0;
            for (NDArray p : parameters) {
                try (NDManager one = scope.newSubManager()) {
                    NDArray g = p.getGradient();
                    g.attach(one);
                    // getFloat() copies to the host: one device→host sync per parameter.
                    squares += g.mul(g).sum().getFloat();
                }
            }
            double norm = Math.sqrt(squares);
            if (maxNorm > 0) {
                // torch: clip_coef = max_norm / (total_norm + 1e-6), clamped to 1, applied to every gradient.
                double coefficient = Math.min(1.0, maxNorm / (norm + 1e-6));
                if (coefficient < 1.0) {
                    for (NDArray p : parameters) {
                        NDArray g = p.getGradient();
                        g.attach(scope);
                        g.muli(coefficient);
                    }
                }
            }
            return norm;
        }
    }
}
