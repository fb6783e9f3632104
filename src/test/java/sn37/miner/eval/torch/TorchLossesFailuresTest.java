package sn37.miner.eval.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.eval.EvalDtype;
import sn37.miner.eval.ReferenceLoss;

/**
 * What the Java side makes of the evaluator's process, with shell scripts standing in for Python: a failure is an
 * error naming the job and its log, never a score; a task the model failed on is +∞.
 */
class TorchLossesFailuresTest {
    private static final String RESULT = "{\"format\": 1, \"task\": \"WORD_SORTING\", \"method\": \"reference_loss\","
            + " \"samples\": 2, \"loss\": %s, \"failure\": %s, \"device\": \"cpu\", \"model_dtype\": \"bfloat16\","
            + " \"logits_dtype\": \"bfloat16\", \"attn_implementation\": \"sdpa\", \"torch\": \"2.13.0\","
            + " \"transformers\": \"5.18.0\"}";
    private static final List<ReferenceLoss.Sample> SAMPLES = List.of(
            new ReferenceLoss.Sample(new int[] {1, 2, 3}, new int[] {4}),
            new ReferenceLoss.Sample(new int[] {5}, new int[] {6, 7}));

    @TempDir Path dir;
    private Path trainer;

    @BeforeEach
    void trainerFolder() throws Exception {
        trainer = Files.createDirectories(dir.resolve("trainer"));
        Files.writeString(trainer.resolve(TorchLosses.SCRIPT), "# the real one is not run here\n");
    }

    /** A stand-in for python: {@code body} runs in the job folder with "$1" the script and "$3" the job file. */
    private Path python(String body) throws Exception {
        Path script = dir.resolve("python");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private TorchLosses losses(Path python, boolean cancelled) {
        return new TorchLosses(new TorchLosses.Job(python, trainer, dir.resolve("jobs"), dir.resolve("model"), "cpu",
                EvalDtype.BFLOAT16), () -> cancelled);
    }

    private Path job() {
        return dir.resolve("jobs/WORD_SORTING");
    }

    @Test
    void aWellFormedResultGivesItsLossForTheIdsSent() throws Exception {
        Path python = python("printf '{\"done\": 2, \"total\": 2}\\n' > progress.jsonl\n"
                + "printf '" + RESULT.formatted("2.5", "null") + "' > result.json");
        List<Integer> progress = new java.util.ArrayList<>();
        assertEquals(2.5, losses(python, false).referenceLoss("WORD_SORTING", SAMPLES, progress::add));
        assertEquals(List.of("{\"ids\":[1,2,3,4],\"reference_length\":1}", "{\"ids\":[5,6,7],\"reference_length\":2}"),
                Files.readAllLines(job().resolve("samples.jsonl")));
        String spec = Files.readString(job().resolve(TorchLosses.JOB));
        assertTrue(spec.contains("\"model_dtype\":\"bfloat16\"") && spec.contains("\"method\":\"reference_loss\"")
                && spec.contains("\"pad_id\":null"), spec);
        assertEquals(2, progress.get(progress.size() - 1));
    }

    @Test
    void aTaskTheModelFailedOnIsInfiniteAsValidatorsScoreIt() throws Exception {
        Path python = python("printf '" + RESULT.formatted("null", "\"a sample raised RuntimeError\"")
                + "' > result.json");
        assertEquals(Double.POSITIVE_INFINITY, losses(python, false).referenceLoss("WORD_SORTING", SAMPLES, d -> {}));
    }

    @Test
    void aMissingEnvironmentSaysHowToMakeIt() {
        TorchEvalException e = assertThrows(TorchEvalException.class, () -> losses(dir.resolve("venv/bin/python"),
                false).referenceLoss("WORD_SORTING", SAMPLES, d -> {}));
        assertTrue(e.getMessage().contains(job().resolve(TorchLosses.JOB).toString())
                && e.getMessage().contains("trainer/setup-venv " + dir.resolve("venv")), e.getMessage());
    }

    @Test
    void aFailedProcessIsAnErrorNamingTheJobItsExitCodeAndLog() throws Exception {
        Path python = python("echo 'error: the model could not be evaluated: OSError' >&2\nexit 3");
        TorchEvalException e = assertThrows(TorchEvalException.class,
                () -> losses(python, false).referenceLoss("WORD_SORTING", SAMPLES, d -> {}));
        assertTrue(e.getMessage().contains(job().resolve(TorchLosses.JOB).toString())
                && e.getMessage().contains("exit code 3") && e.getMessage().contains("OSError")
                && e.getMessage().contains(job().resolve(TorchLosses.LOG_FILE).toString()), e.getMessage());
    }

    @Test
    void aCleanExitWithoutResultIsAnError() throws Exception {
        TorchEvalException e = assertThrows(TorchEvalException.class,
                () -> losses(python("exit 0"), false).referenceLoss("WORD_SORTING", SAMPLES, d -> {}));
        assertTrue(e.getMessage().contains("ended without writing"), e.getMessage());
    }

    @Test
    void aResultThatDoesNotFitTheJobIsAnErrorNamingTheField() throws Exception {
        Path python = python("printf '" + RESULT.formatted("2.5", "null").replace("\"samples\": 2", "\"samples\": 1")
                + "' > result.json");
        TorchEvalException e = assertThrows(TorchEvalException.class,
                () -> losses(python, false).referenceLoss("WORD_SORTING", SAMPLES, d -> {}));
        assertTrue(e.getMessage().contains("'samples'") && e.getMessage().contains(TorchLosses.LOG_FILE),
                e.getMessage());
        Path loose = python("printf '" + RESULT.formatted("\"2.5\"", "null") + "' > result.json");
        e = assertThrows(TorchEvalException.class,
                () -> losses(loose, false).referenceLoss("WORD_SORTING", SAMPLES, d -> {}));
        assertTrue(e.getMessage().contains("not the evaluator's result JSON"), e.getMessage());
    }

    @Test
    void aCancelStopsTheProcessAndScoresNothing() throws Exception {
        Path python = python("exec sleep 60");
        assertThrows(CancellationException.class,
                () -> losses(python, true).referenceLoss("WORD_SORTING", SAMPLES, d -> {}));
    }
}
