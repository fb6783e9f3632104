package sn37.miner.model.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenLossTest {

    @Test
    void meanLossOverChosenPositionsEqualsAHandComputation() {
        try (LlamaModel model = LlamaModelTest.randomModel(Map.of(), 29);
                NDManager step = model.manager().newSubManager();
                NoGrad ignored = NoGrad.enter()) {
            long[] ids = LlamaModelTest.ids(2 * 6, 64, 4);
            float[] logits = model.forward(step.create(ids, new Shape(2, 6))).toFloatArray();
            long[] rows = {2, 3, 10};
            long[] targets = {ids[3], ids[4], ids[11]};
            double expected = 0;
            for (int i = 0; i < rows.length; i++) {
                int row = (int) rows[i];
                double max = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < 64; v++) {
                    max = Math.max(max, logits[row * 64 + v]);
                }
                double sum = 0;
                for (int v = 0; v < 64; v++) {
                    sum += Math.exp(logits[row * 64 + v] - max);
                }
                expected += -(logits[row * 64 + (int) targets[i]] - max - Math.log(sum));
            }
            expected /= rows.length;
            float actual = TokenLoss.mean(model, step.create(ids, new Shape(2, 6)), rows, targets).getFloat();
            assertEquals(expected, actual, 1e-5);
        }
    }
}
