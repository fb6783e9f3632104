package sn37.miner.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.util.Secret;
import sn37.miner.util.Sleeper;

/**
 * The Hugging Face dataset viewer API ({@code huggingface/dataset-viewer} docs {@code splits.md}, {@code rows.md}):
 * {@code GET /splits?dataset=}, {@code GET /size?dataset=} ({@code size.md}: {@code {"size": {"dataset", "configs",
 * "splits": [{"dataset", "config", "split", "num_rows", ...}]}, "pending", "failed", "partial"}}, the endpoint
 * finetuning's {@code HuggingFaceLoader.fetch_dataset_configs} reads) and
 * {@code GET /rows?dataset=&config=&split=&offset=&length=} (at most 100 rows a page). The HF token, when there is one, goes as a Bearer header to the viewer's host only; redirects are not
 * followed. 408/429/5xx and transport errors are retried, 5 tries with 1, 2, 4, 8 s between (finetuning's
 * {@code @retry(tries=5, delay=1, backoff=2)}), or the server's numeric {@code Retry-After}.
 */
public final class DatasetViewerClient {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetViewerClient.class);
    /** libcommon {@code MAX_NUM_ROWS_PER_PAGE}. */
    public static final int MAX_PAGE = 100;
    private static final Set<Integer> RETRIED = Set.of(408, 429, 500, 502, 503, 504);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One {@code (config, split)} entry of {@code /splits}. */
    public record Split(String config, String split) {}

    /** One {@code rows[i]} of {@code /rows}: the cells, and which of them the viewer cut short. */
    public record Row(long rowIdx, JsonNode row, List<String> truncatedCells) {}

    public record RowsPage(List<Row> rows, long numRowsTotal) {}

    /** One {@code size.splits[i]} of {@code /size}: a split and how many rows it holds. */
    public record SplitSize(String config, String split, long numRows) {}

    private final OkHttpClient client;
    private final HttpUrl base;
    private final Secret token;
    private final int attempts;
    private final Sleeper sleeper;

    public DatasetViewerClient(OkHttpClient client, String baseUrl, Optional<Secret> token, int attempts,
            Sleeper sleeper) {
        HttpUrl parsed = HttpUrl.parse(baseUrl);
        if (parsed == null) {
            throw new IllegalArgumentException("dataset viewer URL '" + baseUrl + "' is not an http(s) URL: set"
                    + " miner.data.hf.viewer-url to e.g. https://datasets-server.huggingface.co");
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be >= 1, got " + attempts);
        }
        this.client = client.newBuilder().followRedirects(false).followSslRedirects(false).build();
        this.base = parsed;
        this.token = token.orElse(null);
        this.attempts = attempts;
        this.sleeper = sleeper;
    }

    public List<Split> splits(String dataset) throws IOException {
        HttpUrl url = endpoint("splits").addQueryParameter("dataset", dataset).build();
        JsonNode body = get(url, "splits of " + dataset);
        JsonNode splits = body.get("splits");
        if (splits == null || !splits.isArray()) {
            throw new DatasetViewerException("dataset viewer /splits for " + dataset + " has no \"splits\" list", 200,
                    null, null);
        }
        List<Split> out = new ArrayList<>();
        for (JsonNode s : splits) {
            if (!s.path("config").isTextual() || !s.path("split").isTextual()) {
                throw new DatasetViewerException("dataset viewer /splits for " + dataset + " has an entry without"
                        + " config or split: " + s, 200, null, null);
            }
            out.add(new Split(s.get("config").asText(), s.get("split").asText()));
        }
        return out;
    }

    public List<SplitSize> size(String dataset) throws IOException {
        HttpUrl url = endpoint("size").addQueryParameter("dataset", dataset).build();
        JsonNode splits = get(url, "size of " + dataset).path("size").get("splits");
        if (splits == null || !splits.isArray()) {
            throw new DatasetViewerException("dataset viewer /size for " + dataset + " has no \"size.splits\" list",
                    200, null, null);
        }
        List<SplitSize> out = new ArrayList<>();
        for (JsonNode s : splits) {
            if (!s.path("config").isTextual() || !s.path("split").isTextual() || !s.path("num_rows").isIntegralNumber()
                    || s.path("num_rows").asLong() < 0) {
                throw new DatasetViewerException("dataset viewer /size for " + dataset + " has a split entry without"
                        + " config, split or a row count", 200, null, null);
            }
            out.add(new SplitSize(s.get("config").asText(), s.get("split").asText(), s.get("num_rows").asLong()));
        }
        return out;
    }

    public RowsPage rows(String dataset, String config, String split, long offset, int length) throws IOException {
        if (length < 1 || length > MAX_PAGE) {
            throw new IllegalArgumentException("length must be in [1, " + MAX_PAGE + "], got " + length);
        }
        HttpUrl url = endpoint("rows").addQueryParameter("dataset", dataset).addQueryParameter("config", config)
                .addQueryParameter("split", split).addQueryParameter("offset", Long.toString(offset))
                .addQueryParameter("length", Integer.toString(length)).build();
        String what = "rows " + offset + ".." + (offset + length - 1) + " of " + dataset + " " + config + "/" + split;
        JsonNode body = get(url, what);
        JsonNode rows = body.get("rows");
        JsonNode total = body.get("num_rows_total");
        if (rows == null || !rows.isArray() || total == null || !total.canConvertToLong()) {
            throw new DatasetViewerException("dataset viewer answer for " + what + " lacks rows or num_rows_total",
                    200, null, null);
        }
        List<Row> out = new ArrayList<>(rows.size());
        for (JsonNode r : rows) {
            List<String> truncated = new ArrayList<>();
            r.path("truncated_cells").forEach(c -> truncated.add(c.asText()));
            out.add(new Row(r.path("row_idx").asLong(-1), r.path("row"), truncated));
        }
        return new RowsPage(out, total.asLong());
    }

    private HttpUrl.Builder endpoint(String name) {
        HttpUrl.Builder b = base.newBuilder();
        if (base.encodedPath().endsWith("/")) {
            b.removePathSegment(base.pathSize() - 1);
        }
        return b.addPathSegment(name);
    }

    private JsonNode get(HttpUrl url, String what) throws IOException {
        Request.Builder rb = new Request.Builder().url(url).header("User-Agent", "sn37-miner-data/0.1 (java)");
        if (token != null) {
            rb.header("Authorization", "Bearer " + token.reveal());
        }
        Request request = rb.build();
        Duration wait = Duration.ofSeconds(1);
        for (int attempt = 1; ; attempt++) {
            boolean last = attempt >= attempts;
            Duration next = wait;
            String failure;
            try (Response response = client.newCall(request).execute()) {
                int code = response.code();
                if (response.isSuccessful()) {
                    try {
                        JsonNode node = JSON.readTree(response.body().byteStream());
                        if (node == null || !node.isObject()) {
                            throw new DatasetViewerException("dataset viewer answer for " + what
                                    + " is not a JSON object", code, null, null);
                        }
                        return node;
                    } catch (JacksonException e) {
                        throw new DatasetViewerException("dataset viewer answer for " + what + " is not JSON: "
                                + e.getOriginalMessage(), code, null, e);
                    }
                }
                String errorCode = response.header("X-Error-Code");
                if (!RETRIED.contains(code) || last) {
                    throw new DatasetViewerException("dataset viewer refused " + what + ": HTTP " + code
                            + (errorCode == null ? "" : " " + errorCode) + " " + serverError(response) + " after "
                            + attempt + " attempt(s)" + hint(code), code, errorCode, null);
                }
                failure = "HTTP " + code + (errorCode == null ? "" : " " + errorCode);
                String retryAfter = response.header("Retry-After");
                if (retryAfter != null && retryAfter.strip().matches("\\d{1,4}")) {
                    next = Duration.ofSeconds(Long.parseLong(retryAfter.strip()));
                }
            } catch (DatasetViewerException e) {
                throw e;
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                if (last) {
                    throw new DatasetViewerException("dataset viewer gave no answer for " + what + " after " + attempt
                            + " attempt(s): " + e + "; check the network and miner.data.hf.viewer-url", 0, null, e);
                }
                failure = e.getClass().getSimpleName();
            }
            LOG.warn("dataset viewer {} failed ({}); retry {}/{} in {} ms", what, failure, attempt, attempts - 1,
                    next.toMillis());
            try {
                sleeper.sleep(next);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting to retry the dataset viewer");
            }
            wait = wait.multipliedBy(2);
        }
    }

    private static String serverError(Response response) {
        try {
            String text = response.peekBody(2048).string();
            JsonNode node = JSON.readTree(text);
            String msg = node != null && node.path("error").isTextual() ? node.path("error").asText() : text;
            msg = msg.strip().replaceAll("\\s+", " ");
            return "(" + (msg.length() > 200 ? msg.substring(0, 200) + "..." : msg) + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static String hint(int code) {
        return switch (code) {
            case 401, 403 -> "; the dataset may be gated or private: set HF_ACCESS_TOKEN (or HF_TOKEN) to a token"
                    + " with access";
            case 404 -> "; check the dataset, config and split names";
            default -> RETRIED.contains(code) ? "; the viewer may be busy, try again later" : "";
        };
    }
}
