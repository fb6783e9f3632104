package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.run.Run;
import sn37.miner.run.RunStatus;
import sn37.miner.stage.Stage;
import sn37.miner.stage.StageContext;

/**
 * CSRF in a real browser: a page served from another origin (another loopback port) tries to cancel a running run
 * and resume a failed one, the ways a page can without CORS (fetch in no-cors mode without a body or with a text
 * body, a plain form post, a JSON fetch that needs a preflight). Both runs stay as they were. Needs chromium on
 * PATH: skipped without it, failed without it under CI.
 */
class CrossSiteRequestTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path dir;

    /** Train holds the run with seed 7 in RUNNING until released; others pass through at once. */
    static final class HoldingTrain implements Stage {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String name() {
            return "train";
        }

        @Override
        public Object run(StageContext ctx) throws Exception {
            if (ctx.params().seed() == 7L) {
                entered.countDown();
                release.await(60, TimeUnit.SECONDS);
            }
            return Map.of("modelDir", "stand-in for train");
        }
    }

    @Test
    void aPageOfAnotherOriginCannotCancelOrResumeARun() throws Exception {
        Path chromium = HeadlessChromium.find().orElse(null);
        if (chromium == null) {
            assertNull(System.getenv("CI"), "CI must have chromium on PATH for the cross-site test");
            Assumptions.abort("chromium is not on PATH: the cross-site test is skipped");
        }
        HoldingTrain train = new HoldingTrain();
        List<Stage> stages = new ArrayList<>(TestServer.builtIn().stream().filter(s -> !s.name().equals("upload")).toList());
        stages.add(new TestStages.AlwaysFailing("upload"));
        stages.add(train);
        HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        try (TestServer t = TestServer.start(TestServer.settings(dir, Map.of()), stages)) {
            String failed = HttpResponseAssert.accepted(t.post("/api/runs", "{\"avg_loss_upload_threshold\": 0.5}"))
                    .get("runId").asText();
            assertEquals(RunStatus.FAILED, t.awaitFinished(failed, WAIT).status());
            String running = HttpResponseAssert.accepted(t.post("/api/runs", "{\"offline\": true, \"seed\": 7}"))
                    .get("runId").asText();
            assertTrue(train.entered.await(20, TimeUnit.SECONDS), "the run reached train");

            byte[] page = attackPage("http://127.0.0.1:" + t.port, running, failed).getBytes(StandardCharsets.UTF_8);
            attacker.createContext("/", ex -> {
                ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                ex.sendResponseHeaders(200, page.length);
                ex.getResponseBody().write(page);
                ex.close();
            });
            attacker.start();
            Files.createDirectories(dir.resolve("profile"));
            try (HeadlessChromium browser = HeadlessChromium.start(chromium, dir.resolve("profile"), 800, 600)) {
                browser.navigate("http://127.0.0.1:" + attacker.getAddress().getPort() + "/");
                String outcome = browser.await("window.outcome", WAIT).asText();
                // every request was made and answered (opaque to the page) or, for the JSON fetch, stopped by CORS
                assertEquals("cancel:sent resume:sent cancel-text:sent resume-text:sent form-cancel:loaded"
                        + " form-resume:loaded json-cancel:blocked", outcome);
            }

            Run r = t.server.store().get(running);
            assertEquals(RunStatus.RUNNING, r.status());
            assertFalse(r.cancelRequested(), "the cross-site page cancelled the running run");
            Run f = t.server.store().get(failed);
            assertEquals(RunStatus.FAILED, f.status());
            assertEquals(1, f.attempt(), "the cross-site page resumed the failed run");
        } finally {
            train.release.countDown();
            attacker.stop(0);
        }
    }

    private static String attackPage(String target, String running, String failed) {
        String cancel = target + "/api/runs/" + running + "/cancel";
        String resume = target + "/api/runs/" + failed + "/resume";
        return "<!doctype html><html><body><iframe name=sink></iframe>\n"
                + "<form id=f method=POST enctype=text/plain target=sink><input name=a value=b></form>\n<script>\n"
                + "const send = (url, init) => fetch(url, Object.assign({method: 'POST', mode: 'no-cors'}, init))"
                + ".then(() => 'sent', () => 'blocked');\n"
                + "const post = (url) => new Promise(done => { const s = document.querySelector('iframe');"
                + " s.onload = () => done('loaded'); const f = document.getElementById('f'); f.action = url; f.submit(); });\n"
                + "(async () => {\n"
                + "  const r = [];\n"
                + "  r.push('cancel:' + await send('" + cancel + "', {}));\n"
                + "  r.push('resume:' + await send('" + resume + "', {}));\n"
                + "  r.push('cancel-text:' + await send('" + cancel + "', {headers: {'Content-Type': 'text/plain'}, body: '{}'}));\n"
                + "  r.push('resume-text:' + await send('" + resume + "', {headers: {'Content-Type': 'text/plain'}, body: '{}'}));\n"
                + "  r.push('form-cancel:' + await post('" + cancel + "'));\n"
                + "  r.push('form-resume:' + await post('" + resume + "'));\n"
                + "  r.push('json-cancel:' + await send('" + cancel + "', {mode: 'cors', headers: {'Content-Type':"
                + " 'application/json'}, body: '{}'}));\n"
                + "  window.outcome = r.join(' ');\n"
                + "})();\n</script></body></html>";
    }
}
