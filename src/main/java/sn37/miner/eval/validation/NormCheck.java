package sn37.miner.eval.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import sn37.miner.competition.NormLimits;
import sn37.miner.model.CheckpointDir;
import sn37.miner.model.Dtype;
import sn37.miner.model.StoredTensor;
import sn37.miner.model.TensorInfo;

/**
 * Validators' weight-norm check (taoverse {@code ModelUpdater._validate_parameters}, model_updater.py @388e9176):
 * for every layer, the Frobenius norm of {@code self_attn.{q,k,v,o}_proj.weight} and {@code mlp.{up,down}_proj.weight};
 * any norm above {@code hard} rejects the model; otherwise, per projection type, the fraction of layers whose norm
 * is above {@code soft}, and the mean of the six fractions must be ≤ {@code softPercent}.
 *
 * <p>Validators take {@code weight.norm()} of the model loaded in the competition's dtype, so each element is
 * rounded to that dtype and the norm, returned in it, is rounded too (a bf16 norm of 1000.5 reads 1000, which
 * passes). Tensors are streamed, several at once; memory stays constant per tensor.
 */
public final class NormCheck {

    public static final List<String> PROJECTIONS =
            List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.up_proj",
                    "mlp.down_proj");

    /** The outcome; {@code fractions} by projection type, {@code maxNorm} the largest norm seen. */
    public record Result(boolean passed, String reason, Map<String, Double> fractions, double meanFraction,
            double maxNorm, String maxNormTensor) {}

    private NormCheck() {}

    public static Result check(CheckpointDir checkpoint, int layers, NormLimits limits, Dtype loadedAs) {
        if (layers < 1) {
            return new Result(false, "config.json has no positive num_hidden_layers, so the layers to check are"
                    + " unknown", Map.of(), 0, 0, null);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            for (String p : PROJECTIONS) {
                String name = "model.layers." + i + "." + p + ".weight";
                try {
                    checkpoint.tensor(name);
                } catch (IllegalArgumentException missing) {
                    return new Result(false, "no tensor " + name + ": validators' norm check reads Llama-style"
                            + " modules (model.layers[i].self_attn.q_proj ...) and drops models without them",
                            Map.of(), 0, 0, null);
                }
                names.add(name);
            }
        }
        double[] norms = IntStream.range(0, names.size()).parallel()
                .mapToDouble(i -> norm(checkpoint.stored(names.get(i)), loadedAs)).toArray();
        Map<String, Double> fractions = new LinkedHashMap<>();
        double maxNorm = 0;
        String maxName = null;
        for (int k = 0; k < PROJECTIONS.size(); k++) {
            int above = 0;
            for (int i = 0; i < layers; i++) {
                int at = i * PROJECTIONS.size() + k;
                double n = norms[at];
                if (n > maxNorm || maxName == null) {
                    maxNorm = n;
                    maxName = names.get(at);
                }
                if (n > limits.hard()) {
                    return new Result(false, names.get(at) + " has norm " + n + " > hard limit " + limits.hard(),
                            Map.of(), 0, n, names.get(at));
                }
                if (n > limits.soft()) above++;
            }
            fractions.put(PROJECTIONS.get(k), (double) above / layers);
        }
        double mean = fractions.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
        boolean passed = mean <= limits.softPercent();
        String reason = "mean fraction of projections with norm > " + limits.soft() + " is " + mean
                + (passed ? " <= " : " > ") + limits.softPercent();
        return new Result(passed, reason, fractions, mean, maxNorm, maxName);
    }

    /** One tensor's Frobenius norm as validators compute it on the loaded weights. */
    static double norm(StoredTensor tensor, Dtype loadedAs) {
        TensorInfo info = tensor.info();
        SquareSum sum = new SquareSum(info.dtype(), loadedAs);
        try {
            if (info.byteLength() <= Integer.MAX_VALUE) {
                sum.write(tensor.source().map(info.name()));
            } else {
                tensor.writeTo(sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tensor " + info.name() + " of " + tensor.source().file(), e);
        }
        return SquareSum.load((float) Math.sqrt(sum.sum()), loadedAs);
    }
}
