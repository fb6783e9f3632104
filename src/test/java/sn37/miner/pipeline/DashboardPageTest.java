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
import sn37.miner.config.Json;
import sn37.miner.run.RunStatus;
import sn37.miner.testing.Slow;

/**
 * The dashboard in headless Chromium against a real server with recorded runs: the run table, the loss curve and
 * score of a succeeded run, API errors shown, the token field, Resume on a failed run and the one-stage form. Writes the page as
 * {@code target/dashboard/dashboard.png}. Needs chromium on PATH: skipped without it, failed without it under CI.
 */
@Slow
class DashboardPageTest {
    private static final String TOKEN = "dashboard-test-token";
    private static final List<Double> LOSSES = List.of(2.31, 2.05, 1.87, 1.74, 1.69, 1.58, 1.55, 1.49, 1.46, 1.41,
            1.43, 1.37);
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir Path dir;

    @Test
    void showsRecordedRunsTheirLossCurveAndScoreAndResumesAFailedRun() throws Exception {
        Path chromium = HeadlessChromium.find().orElse(null);
        if (chromium == null) {
            assertNull(System.getenv("CI"), "CI must have chromium on PATH for the dashboard test");
            Assumptions.abort("chromium is not on PATH: the dashboard page test is skipped");
        }
        try (TestServer t = TestServer.start(TestServer.settings(dir, Map.of("pipeline.api.token", TOKEN)),
                TestServer.withExtra(new TestStages.Fixed("train", Map.of("steps", LOSSES.size(), "stepLosses", LOSSES)),
                        new TestStages.Fixed("evaluate", Map.of("metric", 0.4213, "questions", 40, "correct", 23, "tasks",
                                List.of(Map.of("name", "SYNTHETIC_1_SFT", "weight", 0.5, "raw", 2.5, "samples", 120),
                                        Map.of("name", "CODEFORCES_COTS", "weight", 0.5, "samples", 0, "skipped",
                                                "no held-out rows"))))))) {
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
        assertEquals(0, browser.eval("document.querySelectorAll('#runs tbody tr').length").asInt());
        browser.type("#token", TOKEN);
        browser.await("document.querySelectorAll('#runs tbody tr').length === 2", WAIT);
        JsonNode rows = browser.eval("[...document.querySelectorAll('#runs tbody tr')].map(r =>"
                + " r.dataset.runId + ' ' + r.querySelector('.status').textContent)");
        // newest first
        assertEquals(List.of(failed + " FAILED", succeeded + " SUCCEEDED"), strings(rows));

        browser.click("#runs tr[data-run-id='" + succeeded + "']");
        browser.await("document.getElementById('run-id').textContent === '" + succeeded + "'", WAIT);
        assertEquals(LOSSES.size(), browser.await("document.querySelectorAll('#loss-chart svg circle.pt').length", WAIT).asInt(),
                "one point per recorded loss");
        assertEquals("step 1: loss 2.310", browser.eval("document.querySelector('#loss-chart circle.pt title').textContent").asText());
        assertEquals("0.4213", browser.eval("document.getElementById('score-value').textContent").asText());
        assertEquals("gate passed", browser.eval("document.getElementById('gate-verdict').textContent").asText());
        assertEquals(List.of("SYNTHETIC_1_SFT: 2.500 (weight 0.5, 120 samples)",
                "CODEFORCES_COTS: not scored (weight 0.5): no held-out rows"), strings(browser.eval(
                "[...document.querySelectorAll('#score-tasks li')].map(l => l.textContent)")));
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
                + " && document.querySelectorAll('#runs tbody tr').length === 3"
                + " && document.querySelector('#runs tbody tr').dataset.runId", WAIT).asText();
        browser.await("document.getElementById('run-id').textContent === '" + gateRun + "'", WAIT);
        assertEquals(RunStatus.SUCCEEDED, t.awaitFinished(gateRun, WAIT).status());
        assertEquals("gate", t.server.store().get(gateRun).kind());
        // the list refreshes by itself: the gate run's row turns SUCCEEDED without a click
        browser.await("document.querySelector(\"#runs tr[data-run-id='" + gateRun + "'] .status\").textContent"
                + " === 'SUCCEEDED'", WAIT);

        browser.click("#runs tr[data-run-id='" + succeeded + "']");
        browser.await("document.querySelectorAll('#loss-chart svg circle.pt').length === " + LOSSES.size()
                + " && document.getElementById('run-id').textContent === '" + succeeded + "'", WAIT);
        assertEquals(List.of(), browser.pageErrors, "the page's script raised errors");
        save(browser, "dashboard.png");
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
