package sn37.miner.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import sn37.miner.MinerApp;

/** The CLI as a user runs it, in-process (the home is the repository root, as under bin/miner). */
class MinerAppTest {
    @TempDir Path dir;

    record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = MinerApp.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private String[] withDb(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--pipeline.db.path=" + dir.resolve("db/pipeline");
        all[args.length + 1] = "--pipeline.work-dir=" + dir.resolve("runs");
        return all;
    }

    @Test
    void mineOfflineWithoutAStartingModelStopsAtLoadModelSayingWhatToGive() {
        Result r = run(withDb("mine", "--offline"));
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("fetch-data  SUCCEEDED"), r.out());
        assertTrue(r.out().contains("read 40 rows; train 20 (SYNTHETIC_MMLU 20)"), r.out());
        assertTrue(r.out().contains("held out for evaluation 20 (SYNTHETIC_MMLU 20)"), r.out());
        assertTrue(r.out().contains("load-model  FAILED"), r.out());
        assertTrue(r.out().contains("no starting model"), r.out());
    }

    @Test
    void offlineDemoRunsEveryStageWithATinyModelAndSkipsPublishing() {
        Result r = run(withDb("mine", "--offline", "--init_config", "tiny-llama", "--max_steps", "2", "--batch_size", "8",
                "--accumulation_steps", "1", "--lr", "0.003", "--avg_loss_upload_threshold", "1.5"));
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("pipeline  SUCCEEDED"), r.out());
        for (String stage : new String[] {"fetch-data", "load-model", "train", "evaluate", "gate"}) {
            assertTrue(r.out().contains(String.format("%-11s %-10s", stage, "SUCCEEDED")), stage + ": " + r.out());
        }
        assertTrue(r.out().contains("upload      SKIPPED") && r.out().contains("offline: nothing is published"), r.out());
        assertTrue(r.out().contains("2 steps, loss"), r.out());
    }

    @Test
    void offlineCompetitionFourRunsEndToEndScoringEveryTaskOnTheHeldOutSample() {
        Result r = run(withDb("mine", "--offline", "--competition_id", "4", "--init_config", "tiny-llama",
                "--max_steps", "1", "--batch_size", "2", "--accumulation_steps", "1", "--avg_loss_upload_threshold", "50"));
        assertEquals(0, r.code(), r.out() + r.err());
        for (String stage : new String[] {"fetch-data", "load-model", "train", "evaluate"}) {
            assertTrue(r.out().contains(String.format("%-11s %-10s", stage, "SUCCEEDED")), stage + ": " + r.out());
        }
        assertTrue(r.out().contains("held out for evaluation 14 (SYNTHETIC_1_SFT 8, CODEFORCES_COTS 6)")
                || r.out().contains("held out for evaluation 13 (SYNTHETIC_1_SFT 8, CODEFORCES_COTS 5)"), r.out());
        java.util.regex.Matcher tasks = java.util.regex.Pattern.compile("tasks: SYNTHETIC_1_SFT (\\d+\\.\\d{4}) \\(weight"
                + " 0\\.5, 8 samples\\), CODEFORCES_COTS (\\d+\\.\\d{4}) \\(weight 0\\.5, [56] samples\\)").matcher(r.out());
        assertTrue(tasks.find(), "every task scored and finite: " + r.out());
        assertTrue(Double.parseDouble(tasks.group(1)) > 0 && Double.parseDouble(tasks.group(2)) > 0, r.out());
        // tiny-llama is far below competition 4's 3.2 B parameters: the gate refuses it, and says why.
        assertTrue(r.out().contains("outside the competition's bounds"), r.out());
        assertTrue(r.out().contains("gate        REJECTED") || r.out().contains("REJECTED:"), r.out());
    }

    @Test
    void mineOfflineWithAPassingMetricIsNotPossibleFromTheCliButRunsListShowsTheRun() {
        run(withDb("mine", "--offline"));
        Result list = run(withDb("runs", "list"));
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("pipeline"), list.out());
        String runId = list.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
        Result show = run(withDb("runs", "show", runId));
        assertTrue(show.out().startsWith("run " + runId), show.out());
        Result json = run(withDb("runs", "show", "--json", runId));
        assertTrue(json.out().contains("\"stages\""), json.out());
    }

    @Test
    void badFlagValueIsOneClearLineAndExitCode2() {
        Result r = run(withDb("mine", "--offline", "--avg_loss_upload_threshold", "-1"));
        assertEquals(2, r.code());
        assertEquals("error: --avg_loss_upload_threshold must be a finite number >= 0 (got -1.0); 0 means never upload",
                r.err().strip());
    }

    @Test
    void unknownCompetitionIsRejectedBeforeAnythingRuns() {
        Result r = run(withDb("mine", "--competition_id", "7"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown competition id 7"), r.err());
    }

    @Test
    void unknownConfigurationOverrideIsRejected() {
        Result r = run("runs", "list", "--pipeline.nope=1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown configuration key 'pipeline.nope'"), r.err());
    }

    @Test
    void competitionsPrintsBothSchedules() {
        Result r = run("competitions");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("B7_MULTI_CHOICE"));
        assertTrue(r.out().contains("DISTILLED_REASONING_3B"));
        assertTrue(r.out().contains("15 GiB"));
    }

    @Test
    void listCompetitionsFlagPrintsAndExits() {
        Result r = run("mine", "--list_competitions", "--offline");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("B7_MULTI_CHOICE"), r.out());
        assertTrue(r.out().contains("NOT checked against the chain"), r.out());
    }

    @Test
    void uploadTakesTheReferenceFlagsAndNeedsRepoAndDir() {
        Result help = run("upload", "--help");
        for (String flag : new String[] {"--hf_repo_id", "--load_model_dir", "--wallet.name", "--wallet.hotkey",
                "--subtensor.network", "--subtensor.chain_endpoint", "--update_repo_visibility", "--competition_id"}) {
            assertTrue(help.out().contains(flag), flag + " missing from: " + help.out());
        }
        Result r = run(withDb("upload", "--hf_repo_id", "me/model"));
        assertEquals(2, r.code());
        assertEquals("error: upload needs --hf_repo_id and --load_model_dir", r.err().strip());
    }

    @Test
    void resumeOfUnknownRunIsAClearError() {
        Result r = run(withDb("runs", "resume", "no-such-run"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no run with id 'no-such-run'"), r.err());
    }
}
