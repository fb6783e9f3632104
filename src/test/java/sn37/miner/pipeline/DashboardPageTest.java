package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.util.Json;
import sn37.miner.run.RunStatus;
import sn37.miner.testing.Slow;

/**
 * The dashboard in headless Chromium against a real server with recorded runs: the run table, the loss curve and
 * score of a succeeded run, API errors shown, the token field, Resume on a failed run, the one-stage form, the
 * New-run form (a refused field, then a run) and that run's live loss curve and progress bar. Writes the page as
 * {@code target/dashboard/dashboard.png}, and mid-run as {@code dashboard-live.png}. Needs chromium on PATH: skipped without it, failed without it under CI.
 */
@Slow
class DashboardPageTest {
    private static final String TOKEN = "dashboard-test-token";
    private static final List<Double> LOSSES = List.of(2.31, 2.05, 1.87, 1.74, 1.69, 1.58, 1.55, 1.49, 1.46, 1.41,
            1.43, 1.37);
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final List<Map<String, Object>> TASKS = List.of(
            Map.of("name", "SYNTHETIC_MMLU", "weight", 0.9, "appliedWeight", 0.947, "raw", 0.425, "samples", 40),
            Map.of("name", "WORD_SORTING", "weight", 0.05, "appliedWeight", 0.053, "raw", 2.1, "samples", 400),
            Map.of("name", "FINEWEB", "weight", 0.05, "appliedWeight", 0, "samples", 0,
                    "skipped", "FINEWEB data is not fetched by this miner"));

    @TempDir Path dir;

    @Test
    void showsRecordedRunsTheirLossCurveAndScoreAndResumesAFailedRun() throws Exception {
        Path chromium = HeadlessChromium.find().orElse(null);
        if (chromium == null) {
            assertNull(System.getenv("CI"), "CI must have chromium on PATH for the dashboard test");
            Assumptions.abort("chromium is not on PATH: the dashboard page test is skipped");
        }
        LiveTrain train = new LiveTrain();
        try (TestServer t = TestServer.start(TestServer.settings(dir, Map.of("pipeline.api.token", TOKEN)),
                TestServer.withExtra(train, new TestStages.Fixed("evaluate", Map.of("metric", 0.4213, "questions", 40,
                        "correct", 23, "tasks", TASKS))))) {
            String succeeded = trigger(t, "{\"offline\": true, \"avg_loss_upload_threshold\": 0.5}");
            // a user string with markup in it: the page must show it as text
            Path missing = Files.writeString(dir.resolve("<img src=x onerror=window.injected=1>.jsonl"), "not json\n");
            String failed = trigger(t, "{\"offline\": true, \"data_path\": " + Json.mapper().writeValueAsString(missing.toString()) + "}");
            assertEquals(RunStatus.SUCCEEDED, t.awaitFinished(succeeded, WAIT).status());
            assertEquals(RunStatus.FAILED, t.awaitFinished(failed, WAIT).status());

            Files.createDirectories(dir.resolve("profile"));
            try (HeadlessChromium browser = HeadlessChromium.start(chromium, dir.resolve("profile"), 1440, 1000)) {
                try {
                    drive(browser, t, succeeded, failed);
                    newRunAndLiveCurve(browser, t, train);
                    showRecorded(browser, succeeded);
                } catch (Throwable e) {
                    save(browser, "dashboard-failure.png");
                    throw e;
                }
            }
        }
    }

    private static void drive(HeadlessChromium browser, TestServer t, String succeeded, String failed) throws Exception {
        browser.navigate("http://127.0.0.1:" + t.port + "/");
        // reads need the token too: the page loads, says so, and lists the runs once the token is typed
        assertTrue(browser.await("(e => e && !e.hidden && e.textContent)(document.getElementById('error'))", WAIT)
                .asText().contains("unauthorized"));
        assertEquals(0, browser.eval("document.querySelectorAll('#runs tbody tr[data-run-id]').length").asInt());
        browser.type("#token", TOKEN);
        browser.await("document.querySelectorAll('#runs tbody tr[data-run-id]').length === 2", WAIT);
        JsonNode rows = browser.eval("[...document.querySelectorAll('#runs tbody tr[data-run-id]')].map(r =>"
                + " r.dataset.runId + ' ' + r.querySelector('.status').textContent)");
        // newest first
        assertEquals(List.of(failed + " FAILED", succeeded + " SUCCEEDED"), strings(rows));
        // the list says where a run failed and why
        assertEquals("failed in fetch-data", browser.eval("document.querySelector(\"#runs tr[data-failure-of='" + failed
                + "'] .failed-stage\").textContent").asText());
        assertTrue(browser.eval("document.querySelector(\"#runs tr[data-failure-of='" + failed + "'] .error-text\")"
                + ".textContent").asText().contains("<img src=x"), "the error, as text");

        browser.click("#runs tr[data-run-id='" + succeeded + "']");
        browser.await("document.getElementById('run-id').textContent === '" + succeeded + "'", WAIT);
        assertEquals(LOSSES.size(), browser.await("document.querySelectorAll('#loss-chart svg circle.pt').length", WAIT).asInt(),
                "one point per recorded loss");
        assertEquals("step 1: loss 2.310", browser.eval("document.querySelector('#loss-chart circle.pt title').textContent").asText());
        assertEquals("0.4213", browser.eval("document.getElementById('score-value').textContent").asText());
        assertEquals("gate passed", browser.eval("document.getElementById('gate-verdict').textContent").asText());
        assertTrue(browser.eval("document.getElementById('resume').hidden").asBoolean(), "a SUCCEEDED run has no Resume");
        assertEquals(List.of("fetch-data SUCCEEDED", "load-model SUCCEEDED", "train SUCCEEDED", "evaluate SUCCEEDED",
                "gate SUCCEEDED", "upload SKIPPED", "commit SKIPPED"), strings(browser.eval(
                "[...document.querySelectorAll('#stages tbody tr[data-stage]')].map(r => r.dataset.stage + ' '"
                        + " + r.querySelector('.status').textContent)")));

        browser.click("#runs tr[data-run-id='" + failed + "']");
        browser.await("!document.getElementById('resume').hidden", WAIT);
        assertTrue(browser.eval("document.getElementById('run-error').textContent").asText().contains("<img src=x"),
                "the error shows the path as text");
        assertEquals(0, browser.eval("document.querySelectorAll('img').length").asInt(), "no markup from API data");
        assertTrue(browser.eval("window.injected === undefined").asBoolean());

        // without the token the server refuses, and the page says so
        browser.eval("(e => { e.value = ''; e.dispatchEvent(new Event('input')); })(document.getElementById('token'))");
        browser.click("#resume");
        assertTrue(browser.await("!document.getElementById('error').hidden && document.getElementById('error').textContent",
                WAIT).asText().contains("unauthorized"));
        assertEquals(1, t.server.store().get(failed).attempt());

        browser.type("#token", TOKEN);
        browser.click("#resume");
        browser.await("document.getElementById('error').hidden", WAIT);
        assertEquals(2, t.awaitFinished(failed, WAIT).attempt(), "Resume started the run's second attempt");
        assertEquals(2, Json.mapper().readTree(t.get("/api/runs/" + failed, "Authorization", "Bearer " + TOKEN).body()).get("attempt").asInt());
        assertEquals(TOKEN, browser.eval("sessionStorage.getItem('sn37.apiToken')").asText());

        // one stage alone from the form: a bad field is refused with the API's message, a good body starts a run
        browser.type("#stage-params", "{\"metric\": 0.3, \"bogus\": 1}");
        browser.click("#stage-form button[type=submit]");
        assertTrue(browser.await("!document.getElementById('error').hidden && document.getElementById('error').textContent",
                WAIT).asText().contains("unknown field 'bogus'"));
        browser.type("#stage-params", "{\"metric\": 0.2, \"avg_loss_upload_threshold\": 0.25}");
        browser.click("#stage-form button[type=submit]");
        String gateRun = browser.await("document.getElementById('error').hidden"
                + " && document.querySelectorAll('#runs tbody tr[data-run-id]').length === 3"
                + " && document.querySelector('#runs tbody tr[data-run-id]').dataset.runId", WAIT).asText();
        browser.await("document.getElementById('run-id').textContent === '" + gateRun + "'", WAIT);
        assertEquals(RunStatus.SUCCEEDED, t.awaitFinished(gateRun, WAIT).status());
        assertEquals("gate", t.server.store().get(gateRun).kind());
        // the list refreshes by itself: the gate run's row turns SUCCEEDED without a click
        browser.await("document.querySelector(\"#runs tr[data-run-id='" + gateRun + "'] .status\").textContent"
                + " === 'SUCCEEDED'", WAIT);

    }

    /**
     * The New-run form: a value the API refuses is shown at its field; a good form starts a run, whose training
     * steps draw the loss curve and move the progress bar as they happen (the stage reports a step per permit).
     */
    private static void newRunAndLiveCurve(HeadlessChromium browser, TestServer t, LiveTrain train) throws Exception {
        browser.type("#run-form input[name=lr]", "5");
        browser.type("#run-form input[name=max_steps]", String.valueOf(LiveTrain.STEPS));
        browser.type("#run-form input[name=avg_loss_upload_threshold]", "0.5");
        browser.click("#run-form button[type=submit]");
        String refused = browser.await("(e => e && e.textContent)(document.querySelector(\"#run-form"
                + " .field-error[data-field='lr']\"))", WAIT).asText();
        assertTrue(refused.startsWith("--lr must be in (0, 1)"), refused);
        assertEquals("true", browser.eval("document.querySelector('#run-form input[name=lr]')"
                + ".getAttribute('aria-invalid')").asText());
        int runs = t.server.store().list(null, 100).size();

        browser.type("#run-form input[name=lr]", "0.001");
        browser.click("#run-form button[type=submit]");
        browser.await("!document.querySelector('#run-form .field-error')", WAIT);
        String live = browser.await("(r => r && r.textContent.startsWith('run ') && r.textContent)"
                + "(document.getElementById('run-form-result'))", WAIT).asText();
        assertEquals(runs + 1, t.server.store().list(null, 100).size(), "the form started one run: " + live);
        String id = t.server.store().list(null, 1).get(0).id();
        assertEquals(0.001, Json.mapper().readTree(t.server.store().get(id).paramsJson()).get("lr").asDouble());
        browser.await("document.getElementById('run-id').textContent === '" + id + "'", WAIT);

        train.steps.release(4);
        browser.await("document.querySelectorAll('#loss-chart svg circle.pt').length === 4", WAIT);
        assertEquals("step 3: loss " + String.format("%.3f", TestStages.Stepping.loss(3)),
                browser.eval("document.querySelectorAll('#loss-chart circle.pt title')[2].textContent").asText());
        String bar = browser.await("!document.getElementById('live').hidden"
                + " && document.getElementById('live-text').textContent", WAIT).asText();
        assertTrue(bar.startsWith("step 4 / " + LiveTrain.STEPS + " · loss 0.7500"), bar);
        assertTrue(bar.contains("ETA "), bar);
        assertEquals(4, browser.eval("document.getElementById('live-bar').value").asInt());
        train.steps.release(5);
        browser.await("document.querySelectorAll('#loss-chart svg circle.pt').length === 9", WAIT);
        browser.await("document.getElementById('live-text').textContent.startsWith('step 9 / ')", WAIT);
        save(browser, "dashboard-live.png"); // the curve and the bar mid-run

        train.steps.release(LiveTrain.STEPS - 9);
        assertEquals(RunStatus.SUCCEEDED, t.awaitFinished(id, WAIT).status());
        browser.await("document.getElementById('live').hidden && document.querySelectorAll('#loss-chart svg"
                + " circle.pt').length === " + LiveTrain.STEPS, WAIT);
        assertEquals(List.of("SYNTHETIC_MMLU 0.90 40", "WORD_SORTING 0.05 400", "FINEWEB skipped"),
                strings(browser.eval("[...document.querySelectorAll('#tasks tbody tr')].map(r => r.dataset.task + ' '"
                        + " + (r.querySelector('.skipped') ? 'skipped' : r.cells[1].textContent.slice(0, 4) + ' '"
                        + " + r.cells[3].textContent))")));
    }

    private static void showRecorded(HeadlessChromium browser, String succeeded) throws Exception {
        browser.click("#runs tr[data-run-id='" + succeeded + "']");
        browser.await("document.querySelectorAll('#loss-chart svg circle.pt').length === " + LOSSES.size()
                + " && document.getElementById('run-id').textContent === '" + succeeded + "'", WAIT);
        assertEquals(List.of(), browser.pageErrors, "the page's script raised errors");
        save(browser, "dashboard.png");
    }

    /**
     * train: with {@code max_steps} given, one step per permit (as {@link TestStages.Stepping}); without, the
     * recorded losses at once.
     */
    static final class LiveTrain implements sn37.miner.stage.Stage {
        static final int STEPS = 30;
        final java.util.concurrent.Semaphore steps = new java.util.concurrent.Semaphore(0);

        @Override
        public String name() {
            return "train";
        }

        @Override
        public Object run(sn37.miner.stage.StageContext ctx) throws Exception {
            Integer max = ctx.params().maxSteps();
            if (max == null || max < 1) return Map.of("steps", LOSSES.size(), "stepLosses", LOSSES);
            TestStages.Stepping stepping = new TestStages.Stepping(max, steps);
            return stepping.run(ctx);
        }
    }

    private static String trigger(TestServer t, String body) throws Exception {
        HttpResponse<String> r = t.post("/api/runs", body, "Authorization", "Bearer " + TOKEN);
        assertEquals(202, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body()).get("runId").asText();
    }

    private static void save(HeadlessChromium browser, String name) throws Exception {
        Path out = Path.of("target", "dashboard");
        Files.createDirectories(out);
        Files.write(out.resolve(name), browser.screenshot());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
