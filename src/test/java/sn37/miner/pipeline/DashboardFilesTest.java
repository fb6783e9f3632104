package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's files on the API port, over plain HTTP. */
class DashboardFilesTest {
    @TempDir static Path dir;
    static TestServer t;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void rootIsTheDashboardPageAsHtml() throws Exception {
        HttpResponse<String> r = t.get("/");
        assertEquals(200, r.statusCode());
        assertEquals("text/html; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(r.body().contains("<script src=\"dashboard.js\""), r.body());
        assertEquals(r.body(), t.get("/index.html").body());
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
    }

    @Test
    void servesTheScriptAndStylesheetWithTheirTypes() throws Exception {
        HttpResponse<String> js = t.get("/dashboard.js");
        assertEquals(200, js.statusCode());
        assertEquals("text/javascript; charset=utf-8", js.headers().firstValue("Content-Type").orElse(""));
        assertTrue(js.body().contains("/api/runs"), "the script reads the run API");
        HttpResponse<String> css = t.get("/dashboard.css");
        assertEquals(200, css.statusCode());
        assertEquals("text/css; charset=utf-8", css.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void unknownFileIsAJson404() throws Exception {
        HttpResponse<String> r = t.get("/nothing-here.js");
        assertEquals(404, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(r.body().contains("\"error\":\"not found\""), r.body());
        assertEquals(404, t.get("/favicon.ico").statusCode(), "only html, js and css are served");
    }

    @Test
    void refusesPathsThatLeaveTheDashboardFolder() throws Exception {
        // sent byte for byte: HTTP clients would normalise the dot segments away before they reach the server
        for (String target : new String[] {"/../pom.xml", "/%2e%2e/pom.xml", "/..%2fpom.xml", "/%2e%2e%2fpom.xml",
                "/dashboard.js/../../pom.xml", "/..%2fsn1%2fsample-mc.jsonl", "/sn1%2fREADME.md",
                "/..%5c..%5cpom.xml", "/.%2e/routes/api.yaml"}) {
            String answer = rawGet(target);
            assertTrue(answer.startsWith("HTTP/1.1 404"), target + " -> " + answer);
            assertFalse(answer.contains("<project") || answer.contains("challenge") || answer.contains("routeConfiguration"),
                    target + " leaked a file: " + answer);
        }
    }

    @Test
    void theApiStillAnswersBesideTheDashboard() throws Exception {
        HttpResponse<String> r = t.get("/api/runs");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().startsWith("{\"runs\":"), r.body());
        assertEquals(200, t.get("/api/openapi.json").statusCode());
        assertEquals(404, t.get("/api/runs/no-such-run").statusCode());
    }

    private static String rawGet(String target) throws IOException {
        try (Socket s = new Socket("127.0.0.1", t.port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
