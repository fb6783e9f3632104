package sn37.miner.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dataset viewer's pages, each kept in a cache folder once read (written to a temporary file and renamed, so a
 * cached page is whole or absent). A fetch that fails part way and runs again with the same seed draws the same
 * pages and reads the ones it already has from the cache: it resumes where it stopped. A cached file that does not
 * parse, or that answers another request, is read again from the viewer.
 */
public final class ViewerPages implements RowPages {
    private static final Logger LOG = LoggerFactory.getLogger(ViewerPages.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DatasetViewerClient viewer;
    private final Path cache;

    /** @param cache the folder pages are kept in; null keeps none */
    public ViewerPages(DatasetViewerClient viewer, Path cache) {
        this.viewer = viewer;
        this.cache = cache;
    }

    @Override
    public String describe() {
        return "viewer";
    }

    @Override
    public List<DatasetViewerClient.SplitSize> size(String dataset) throws IOException {
        Path file = file("size", dataset);
        JsonNode cached = cached(file, dataset, "size");
        if (cached != null && cached.path("splits").isArray()) {
            List<DatasetViewerClient.SplitSize> out = new ArrayList<>();
            for (JsonNode s : cached.get("splits")) {
                out.add(new DatasetViewerClient.SplitSize(s.path("config").asText(), s.path("split").asText(),
                        s.path("num_rows").asLong()));
            }
            return out;
        }
        List<DatasetViewerClient.SplitSize> sizes = viewer.size(dataset);
        ObjectNode body = header(dataset, "size");
        ArrayNode splits = body.putArray("splits");
        sizes.forEach(s -> splits.addObject().put("config", s.config()).put("split", s.split())
                .put("num_rows", s.numRows()));
        store(file, body);
        return sizes;
    }

    @Override
    public DatasetViewerClient.RowsPage rows(String dataset, String config, String split, long offset, int length)
            throws IOException {
        String request = "rows " + config + "/" + split + " " + offset + "+" + length;
        Path file = file(request, dataset);
        JsonNode cached = cached(file, dataset, request);
        if (cached != null && cached.path("rows").isArray() && cached.path("num_rows_total").isIntegralNumber()) {
            List<DatasetViewerClient.Row> rows = new ArrayList<>();
            for (JsonNode r : cached.get("rows")) {
                List<String> truncated = new ArrayList<>();
                r.path("truncated_cells").forEach(c -> truncated.add(c.asText()));
                rows.add(new DatasetViewerClient.Row(r.path("row_idx").asLong(-1), r.path("row"), truncated));
            }
            return new DatasetViewerClient.RowsPage(rows, cached.get("num_rows_total").asLong());
        }
        DatasetViewerClient.RowsPage page = viewer.rows(dataset, config, split, offset, length);
        ObjectNode body = header(dataset, request);
        body.put("num_rows_total", page.numRowsTotal());
        ArrayNode rows = body.putArray("rows");
        for (DatasetViewerClient.Row r : page.rows()) {
            ObjectNode o = rows.addObject();
            o.put("row_idx", r.rowIdx());
            o.set("row", r.row());
            ArrayNode t = o.putArray("truncated_cells");
            r.truncatedCells().forEach(t::add);
        }
        store(file, body);
        return page;
    }

    private static ObjectNode header(String dataset, String request) {
        return JSON.createObjectNode().put("dataset", dataset).put("request", request);
    }

    private Path file(String request, String dataset) {
        if (cache == null) {
            return null;
        }
        byte[] key = (dataset + "\n" + request).getBytes(StandardCharsets.UTF_8);
        return cache.resolve(HexFormat.of().formatHex(Utf8Lines.sha256().digest(key)).substring(0, 24) + ".json");
    }

    private static JsonNode cached(Path file, String dataset, String request) {
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node != null && dataset.equals(node.path("dataset").asText())
                    && request.equals(node.path("request").asText())) {
                return node;
            }
        } catch (IOException e) {
            LOG.warn("cached page {} does not parse ({}); reading it again", file.getFileName(), e.getClass()
                    .getSimpleName());
        }
        return null;
    }

    private static void store(Path file, ObjectNode body) throws IOException {
        if (file == null) {
            return;
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(body));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
