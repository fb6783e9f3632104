package sn37.miner.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import sn37.miner.MinerApp;
import sn37.miner.util.Json;
import sn37.miner.run.RunDatabase;
import sn37.miner.run.RunStatus;
import sn37.miner.run.RunStore;

/**
 * {@code mine} checks every flag before anything runs: one line naming the flag, exit 2, and no run database
 * opened. Before, each of these ran fetch-data (and for competition 3 trained) before failing.
 */
class MinePreflightTest {
    @TempDir Path dir;

    record Result(int code, String out, String err) {}

    private Result mine(String... flags) {
        List<String> args = new ArrayList<>(List.of("mine", "--offline", "--max_steps", "1", "--batch_size", "8",
                "--accumulation_steps", "1"));
        args.addAll(List.of(flags));
        return run(args);
    }

    private Result run(List<String> given) {
        List<String> args = new ArrayList<>(given);
        args.add("--pipeline.db.path=" + dir.resolve("db/pipeline"));
        args.add("--pipeline.work-dir=" + dir.resolve("runs"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = MinerApp.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    private void refusedUpFront(Result r, String flag) {
        assertEquals(2, r.code(), r.out() + r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("error: " + flag), r.err());
        assertEquals("", r.out());
        assertFalse(Files.exists(dir.resolve("db")), "the pipeline started before the flag was checked");
    }

    @Test
    void refusesACompetitionEvaluateDoesNotScore() {
        refusedUpFront(mine("--init_config", "tiny-llama", "--competition_id", "3"), "--competition_id 3");
    }

    @Test
    void refusesCudaWithoutAGpu() {
        Assumptions.assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0, "this machine has a GPU");
        refusedUpFront(mine("--init_config", "tiny-llama", "--device", "cuda"), "--device cuda");
    }

    @Test
    void refusesTheTorchTrainerWithoutItsPythonEnvironment() {
        Path python = dir.resolve("no-venv/bin/python");
        Result r = mine("--init_config", "tiny-llama", "--trainer", "torch", "--train.torch.python=" + python);
        refusedUpFront(r, "--trainer torch: the PyTorch trainer's Python environment is missing at " + python
                + ": run trainer/setup-venv " + dir.resolve("no-venv"));
    }

    @Test
    void refusesTheTorchEvaluatorWithoutItsPythonEnvironment() {
        Path python = dir.resolve("no-venv/bin/python");
        Result r = mine("--init_config", "tiny-llama", "--eval_backend", "torch", "--train.torch.python=" + python);
        refusedUpFront(r, "--eval_backend torch: the PyTorch trainer's Python environment is missing at " + python
                + ": run trainer/setup-venv " + dir.resolve("no-venv"));
    }

    @Test
    void refusesAnUnknownTrainer() {
        refusedUpFront(mine("--init_config", "tiny-llama", "--trainer", "jax"), "--trainer must be djl");
    }

    @Test
    void refusesAMissingModelDir() {
        refusedUpFront(mine("--load_model_dir", dir.resolve("nonexistent").toString()), "--load_model_dir");
    }

    @Test
    void refusesADataPathThatIsNotARegularFile() {
        refusedUpFront(mine("--init_config", "tiny-llama", "--data_path", dir.toString()), "--data_path");
        refusedUpFront(mine("--init_config", "tiny-llama", "--data_path", dir.resolve("none.jsonl").toString()),
                "--data_path");
    }

    @Test
    void resumeRefusesARunWhoseModelDirIsGone() throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        String id;
        try (RunDatabase db = RunDatabase.open(dir.resolve("db/pipeline"))) {
            RunStore store = new RunStore(db.dataSource());
            id = store.createRun("pipeline", "{\"offline\": true, \"load_model_dir\": "
                    + Json.mapper().writeValueAsString(model.toString()) + "}", "CLI", null).run().id();
            assertTrue(store.claimRun(id));
            store.finishRun(id, RunStatus.FAILED, "fetch-data", "boom", null);
        }
        Files.delete(model);
        Result r = run(List.of("runs", "resume", id));
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().strip().startsWith("error: --load_model_dir"), r.err());
        try (RunDatabase db = RunDatabase.open(dir.resolve("db/pipeline"))) {
            assertEquals(1, new RunStore(db.dataSource()).get(id).attempt(), "the run was resumed");
        }
    }

    @Test
    void readsAnyPathItsUserNames() {
        // no root applies to the CLI: a config outside the miner's home is read (and this one is not a config)
        Result r = mine("--init_config", dir.resolve("none.json").toString());
        refusedUpFront(r, "--init_config");
        assertTrue(r.err().contains("does not exist"), r.err());
    }
}
