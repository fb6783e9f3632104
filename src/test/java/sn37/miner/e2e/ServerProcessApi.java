package sn37.miner.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import sn37.miner.util.Json;

/** The pipeline server's REST API as a client sees it, recording every answer body (for the secrets sweep). */
final class ServerProcessApi {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    final List<String> answers = new ArrayList<>();

    ServerProcessApi(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return record(http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET()
                .build(), HttpResponse.BodyHandlers.ofString()));
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return record(http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private synchronized HttpResponse<String> record(HttpResponse<String> r) {
        answers.add(r.body());
        return r;
    }

    /** POST /api/runs; the new run's id. */
    String submit(Object params) throws IOException, InterruptedException {
        HttpResponse<String> r = post("/api/runs", Json.mapper().writeValueAsString(params));
        if (r.statusCode() != 202) throw new AssertionError("POST /api/runs: " + r.statusCode() + " " + r.body());
        return Json.mapper().readTree(r.body()).get("runId").asText();
    }

    JsonNode run(String id) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/runs/" + id);
        if (r.statusCode() != 200) throw new AssertionError("GET /api/runs/" + id + ": " + r.statusCode() + " " + r.body());
        return Json.mapper().readTree(r.body());
    }

    /** Polls until the run is neither QUEUED nor RUNNING. */
    /** Waits until the retry sweeper has resumed the run once (or the timeout passes: the caller's checks say so). */
    void awaitAutoRetry(String id, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (run(id).get("autoRetries").asInt() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    JsonNode awaitFinished(String id, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode run = run(id);
        while (List.of("QUEUED", "RUNNING").contains(run.get("status").asText())) {
            if (System.nanoTime() > deadline) throw new AssertionError("run " + id + " still " + run.get("status")
                    + " after " + timeout + ": " + run);
            Thread.sleep(200);
            run = run(id);
        }
        return run;
    }
}
