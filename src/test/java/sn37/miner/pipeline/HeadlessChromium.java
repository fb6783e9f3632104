package sn37.miner.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import sn37.miner.util.Json;

/**
 * A headless Chromium driven over the Chrome DevTools Protocol with OkHttp's WebSocket: just what a page test
 * needs (navigate, evaluate, click, type, screenshot). {@link #close} kills the browser and its helpers.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final OkHttpClient http;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /** Uncaught exceptions and console errors of the page, as text. */
    final List<String> pageErrors = new CopyOnWriteArrayList<>();

    private HeadlessChromium(Process process, OkHttpClient http, String pageSocketUrl) {
        this.process = process;
        this.http = http;
        this.socket = http.newWebSocket(new Request.Builder().url(pageSocketUrl).build(), new Listener());
    }

    /** The chromium executable on PATH, if any. */
    static Optional<Path> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(p)) return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static HeadlessChromium start(Path executable, Path profileDir, int width, int height) throws Exception {
        List<String> cmd = List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--window-size=" + width + "," + height,
                "--remote-debugging-port=0", "--user-data-dir=" + profileDir, "about:blank");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(profileDir.resolveSibling(profileDir.getFileName() + ".log").toFile()).start();
        OkHttpClient http = new OkHttpClient.Builder().readTimeout(CALL_TIMEOUT).build();
        try {
            int port = devToolsPort(p, profileDir.resolve("DevToolsActivePort"));
            return new HeadlessChromium(p, http, pageSocketUrl(http, port));
        } catch (Exception | AssertionError e) {
            kill(p);
            shutdown(http);
            throw e;
        }
    }

    /** Chromium writes the port it picked (for --remote-debugging-port=0) on the first line of this file. */
    private static int devToolsPort(Process p, Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new AssertionError("chromium exited with " + p.exitValue() + " before it listened");
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) return Integer.parseInt(lines.get(0).strip());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("chromium did not write " + file + " within 20 s");
    }

    private static String pageSocketUrl(OkHttpClient http, int port) throws IOException {
        try (Response r = http.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/json").build()).execute()) {
            for (JsonNode target : Json.mapper().readTree(r.body().string())) {
                if (target.path("type").asText().equals("page")) return target.get("webSocketDebuggerUrl").asText();
            }
        }
        throw new AssertionError("chromium lists no page target on port " + port);
    }

    /** Sends one DevTools command and returns its result; a protocol error is an assertion failure. */
    JsonNode call(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode msg = Json.mapper().createObjectNode().put("id", id).put("method", method);
        msg.set("params", Json.mapper().valueToTree(params));
        if (!socket.send(Json.mapper().writeValueAsString(msg))) throw new AssertionError("DevTools socket is closed");
        JsonNode reply = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) throw new AssertionError(method + " failed: " + reply.get("error"));
        return reply.get("result");
    }

    void navigate(String url) throws Exception {
        call("Page.enable", Map.of());
        call("Runtime.enable", Map.of());
        call("Page.navigate", Map.of("url", url));
    }

    /** The value of a JavaScript expression (promises awaited); a thrown exception is an assertion failure. */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (r.has("exceptionDetails")) throw new AssertionError("page threw on " + expression + ": " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    /** Polls {@code expression} until it is truthy and returns its value. */
    JsonNode await(String expression, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode v = null;
        while (System.nanoTime() < deadline) {
            v = eval(expression);
            if (!v.isMissingNode() && !v.isNull() && !(v.isBoolean() && !v.asBoolean()) && !(v.isTextual() && v.asText().isEmpty())
                    && !(v.isNumber() && v.asDouble() == 0)) {
                return v;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("page never made '" + expression + "' true within " + timeout + "; last value " + v
                + (pageErrors.isEmpty() ? "" : "; page errors: " + pageErrors));
    }

    /** A real mouse click in the middle of the first element matching {@code selector}. */
    void click(String selector) throws Exception {
        String sel = Json.mapper().writeValueAsString(selector);
        JsonNode box = eval("(() => { const e = document.querySelector(" + sel + "); if (!e) return null;"
                + " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()");
        if (box.isNull() || box.isMissingNode()) throw new AssertionError("nothing on the page matches " + selector);
        for (String type : List.of("mousePressed", "mouseReleased")) {
            call("Input.dispatchMouseEvent", Map.of("type", type, "x", box.get("x").asDouble(), "y",
                    box.get("y").asDouble(), "button", "left", "clickCount", 1));
        }
    }

    /** Focuses the field and types {@code text} over its content as keyboard input would. */
    void type(String selector, String text) throws Exception {
        eval("(e => { e.focus(); e.select(); })(document.querySelector(" + Json.mapper().writeValueAsString(selector) + "))");
        call("Input.insertText", Map.of("text", text));
    }

    byte[] screenshot() throws Exception {
        return Base64.getDecoder().decode(call("Page.captureScreenshot", Map.of("format", "png")).get("data").asText());
    }

    @Override
    public void close() {
        socket.cancel();
        kill(process);
        shutdown(http);
    }

    /** Helpers (renderer, GPU, zygote) usually die with the browser; kill them too rather than trust that. */
    private static void kill(Process p) {
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        p.destroyForcibly();
        all.forEach(ProcessHandle::destroyForcibly);
        try {
            p.waitFor(10, TimeUnit.SECONDS);
            for (ProcessHandle h : all) h.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("chromium did not exit after being killed", e);
        }
    }

    private static void shutdown(OkHttpClient http) {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private final class Listener extends WebSocketListener {
        @Override
        public void onMessage(WebSocket ws, String text) {
            JsonNode msg;
            try {
                msg = Json.mapper().readTree(text);
            } catch (IOException e) {
                return;
            }
            if (msg.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                if (f != null) f.complete(msg);
            } else if (msg.path("method").asText().equals("Runtime.exceptionThrown")) {
                pageErrors.add(msg.at("/params/exceptionDetails").toString());
            } else if (msg.path("method").asText().equals("Runtime.consoleAPICalled")
                    && msg.at("/params/type").asText().equals("error")) {
                pageErrors.add(msg.at("/params/args").toString());
            }
        }

        @Override
        public void onFailure(WebSocket ws, Throwable t, Response r) {
            pending.values().forEach(f -> f.completeExceptionally(t));
        }
    }
}
