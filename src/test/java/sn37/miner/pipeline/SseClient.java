package sn37.miner.pipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Reads a Server-Sent Events response one event at a time, strictly: only the fields the spec defines. */
final class SseClient implements AutoCloseable {
    record Event(String id, String event, String data) {}

    final HttpResponse<java.io.InputStream> response;
    private final BufferedReader reader;

    private SseClient(HttpResponse<java.io.InputStream> response) {
        this.response = response;
        this.reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    static SseClient open(int port, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30)).GET();
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return new SseClient(http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    /** The next event; comments and retry lines are skipped. Null when the server closed the stream. */
    Event next() throws IOException {
        String id = null;
        String event = null;
        StringBuilder data = null;
        for (String line; (line = reader.readLine()) != null; ) {
            if (line.isEmpty()) {
                if (data != null) return new Event(id, event == null ? "message" : event, data.toString());
                id = null;
                event = null;
                continue;
            }
            if (line.startsWith(":")) continue;
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                case "retry" -> { }
                default -> throw new AssertionError("not an SSE field: " + field);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
