package sn37.miner.eval.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.util.Json;
import sn37.miner.eval.EvalDtype;
import sn37.miner.eval.LossBackend;
import sn37.miner.eval.ReferenceLoss;
import sn37.miner.eval.WordSorting;
import sn37.miner.model.Dtype;
import sn37.miner.model.ModelConfig;
import sn37.miner.model.llama.ComputeDevice;
import sn37.miner.model.llama.LlamaConfig;
import sn37.miner.model.llama.LlamaLanguageModel;
import sn37.miner.model.llama.LlamaModel;
import sn37.miner.model.llama.LlamaWeights;
import sn37.miner.model.tokenizer.ChatPromptEncoder;
import sn37.miner.model.tokenizer.ChatTokenizer;
import sn37.miner.testing.Slow;
import sn37.miner.testing.TrainerPython;

/**
 * The same tiny Llama (the bundled tiny-llama config, weights drawn with std 0.5 so that its losses spread, saved in
 * bf16) scored on the same word-sorting ids by both backends: the DJL model in this JVM (float32 arithmetic on the
 * bf16 weights, logits rounded to bf16 for BFLOAT16) and trainer/evaluate.py (transformers computing in bf16, as
 * validators do). The backends differ in the arithmetic inside the model, so the bound is one bf16 step of the loss
 * (0.125 at these losses of about 18.5), not equality. Measured on CPU (torch 2.13.0, transformers 5.18.0): with bf16
 * logits both give 18.541666 (difference 0: every sample's bf16 loss rounds to the same value); with float32 logits
 * torch gives 18.558838 and DJL 18.566612 (difference −0.0078, 1/16 of a bf16 step). TEXT_LOSS on three short texts,
 * its sanity check passed by both: 20.375 from each. Each test prints its figures.
 */
@Slow
class TorchLossesTest {
    private static final int SAMPLES = 6;

    @TempDir static Path dir;
    private static Path model;
    private static List<ReferenceLoss.Sample> samples;
    private static ChatPromptEncoder encoder;
    private static LlamaLanguageModel djlModel;

    @BeforeAll
    static void tinyLlama() throws Exception {
        ObjectNode json = (ObjectNode) Json.mapper().readTree(Path.of("src/main/resources/models/tiny-llama/config.json")
                .toFile());
        json.put("initializer_range", 0.5);
        LlamaConfig config = LlamaConfig.from(new ModelConfig(json));
        model = dir.resolve("model");
        try (LlamaModel m = LlamaWeights.initialize(config, 7, ComputeDevice.of("cpu"))) {
            LlamaWeights.save(m, model, Dtype.BF16, null);
        }
        encoder = new ChatPromptEncoder(ChatTokenizer.bundled());
        samples = ReferenceLoss.tokenize(WordSorting.samples(BigInteger.valueOf(3), SAMPLES), encoder, 4096);
        djlModel = LlamaLanguageModel.load(model, ComputeDevice.of("cpu"), null);
    }

    @AfterAll
    static void closeModel() {
        if (djlModel != null) djlModel.close();
    }

    private static double djl(EvalDtype dtype) {
        return LossBackend.djl(djlModel, dtype).referenceLoss("WORD_SORTING", samples, done -> {});
    }

    private static double torch(EvalDtype logits, List<Integer> progress) {
        TorchLosses torch = new TorchLosses(new TorchLosses.Job(TrainerPython.get(), TrainerPython.trainerDir(),
                dir.resolve("jobs-" + logits.flagValue()), model, "cpu", logits), () -> false);
        return torch.referenceLoss("WORD_SORTING", samples, progress::add);
    }

    /** The distance between adjacent bf16 values around {@code x} (8 significant bits). */
    private static double bf16Step(double x) {
        return Math.scalb(1.0, Math.getExponent((float) x) - 7);
    }

    @Test
    void bf16TorchAgreesWithDjlRoundingItsLogitsToBf16WithinOneBf16Step() throws Exception {
        List<Integer> progress = new ArrayList<>();
        double torch = torch(EvalDtype.BFLOAT16, progress);
        double djl = djl(EvalDtype.BFLOAT16);
        String figures = "torch bf16 " + torch + ", DJL fp32 with bf16 logits " + djl + ", difference "
                + (torch - djl) + ", one bf16 step " + bf16Step(djl);
        System.out.println("reference loss, " + SAMPLES + " samples: " + figures);
        assertTrue(Math.abs(torch - djl) <= bf16Step(djl), figures);
        assertTrue(torch > 1, "a random model's loss is far from 0: " + figures);
        assertEquals(SAMPLES, progress.get(progress.size() - 1), "the last progress report is every sample");
    }

    @Test
    void textLossAgreesWithinOneBf16Step() throws Exception {
        List<int[]> texts = samples.stream().limit(3).map(s -> encoder.encode(
                "Sort these words alphabetically and list them: " + s.context().length + " pears, apples, plums"))
                .toList();
        int eos = 100257;
        double torch = new TorchLosses(new TorchLosses.Job(TrainerPython.get(), TrainerPython.trainerDir(),
                dir.resolve("jobs-text"), model, "cpu", EvalDtype.BFLOAT16), () -> false)
                .textLoss("FINEWEB", texts, eos, done -> {});
        double djl = LossBackend.djl(djlModel, EvalDtype.BFLOAT16).textLoss("FINEWEB", texts, eos, done -> {});
        String figures = "text loss: torch bf16 " + torch + ", DJL fp32 with bf16 logits " + djl;
        System.out.println(figures);
        assertTrue(Double.isFinite(torch), "both passed the sanity check (20 generated tokens each): " + figures);
        assertTrue(Math.abs(torch - djl) <= bf16Step(djl), figures);
    }

    @Test
    void torchWithFloat32LogitsAgreesWithDjlInFloat32WithinOneBf16Step() throws Exception {
        double torch = torch(EvalDtype.FLOAT32, new ArrayList<>());
        double djl = djl(EvalDtype.FLOAT32);
        String figures = "torch bf16 model with float32 logits " + torch + ", DJL fp32 " + djl + ", difference "
                + (torch - djl) + ", one bf16 step " + bf16Step(djl);
        System.out.println("reference loss, " + SAMPLES + " samples: " + figures);
        assertTrue(Math.abs(torch - djl) <= bf16Step(djl), figures);
    }
}
