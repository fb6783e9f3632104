package sn37.miner.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A bundled sample in the dataset viewer's shapes (the competition-4 rows under {@value #ROOT}, the fineweb-edu
 * texts under {@value #FINEWEB}; see each folder's README): for each dataset a {@code /size} answer
 * ({@code <dataset>/size.json}) and, per split, one {@code /rows} answer holding every row
 * ({@code <dataset>/<config>/<split>.json}), read as the viewer would page them. Offline runs use it.
 */
public final class BundledPages implements RowPages {
    public static final String ROOT = "reasoning";
    public static final String FINEWEB = "fineweb";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String root;

    /** The competition-4 sample. */
    public BundledPages() {
        this(ROOT);
    }

    /** @param root the resource folder: {@value #ROOT} or {@value #FINEWEB} */
    public BundledPages(String root) {
        this.root = root;
    }

    @Override
    public String describe() {
        return "bundled:" + root;
    }

    @Override
    public List<DatasetViewerClient.SplitSize> size(String dataset) throws IOException {
        JsonNode splits = read(dataset + "/size.json").path("size").path("splits");
        List<DatasetViewerClient.SplitSize> out = new ArrayList<>();
        for (JsonNode s : splits) {
            out.add(new DatasetViewerClient.SplitSize(s.path("config").asText(), s.path("split").asText(),
                    s.path("num_rows").asLong()));
        }
        return out;
    }

    @Override
    public DatasetViewerClient.RowsPage rows(String dataset, String config, String split, long offset, int length)
            throws IOException {
        JsonNode body = read(dataset + "/" + config + "/" + split + ".json");
        List<DatasetViewerClient.Row> rows = new ArrayList<>();
        for (JsonNode r : body.path("rows")) {
            long idx = r.path("row_idx").asLong(-1);
            if (idx >= offset && idx < offset + length) {
                List<String> truncated = new ArrayList<>();
                r.path("truncated_cells").forEach(c -> truncated.add(c.asText()));
                rows.add(new DatasetViewerClient.Row(idx, r.path("row"), truncated));
            }
        }
        return new DatasetViewerClient.RowsPage(rows, body.path("num_rows_total").asLong());
    }

    private JsonNode read(String name) throws IOException {
        String resource = "/" + root + "/" + name;
        try (InputStream in = BundledPages.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("bundled resource " + resource + " is missing from the classpath: rebuild the"
                        + " jar");
            }
            return JSON.readTree(in);
        }
    }
}
