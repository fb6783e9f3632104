package sn37.miner.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.util.Secret;
import sn37.miner.util.Sleeper;

/**
 * The FINEWEB task's texts, drawn as validators draw theirs (finetuning @726fb931 and @afd44037
 * {@code HuggingFaceLoader(name="HuggingFaceFW/fineweb-edu-score-2")}): the configs {@code /size} lists (all but
 * {@code default} when there are several), one random initial offset in {@code [0, 100)}, then per page a random
 * config and a start {@code offset + k × 100}, {@value #PAGES} pages of up to 100 rows; a page already read is drawn
 * again, up to 100 times. Each row's {@code text} cell is one text.
 *
 * <p>A page that still fails after the viewer client's retries is left out and another drawn, as validators draw a
 * new page after a failed request; after {@value #PAGE_FAILURES} failed pages (their {@code retry_limit}) the load
 * fails, and so does a load that could read no page at all. These rows are scored, never trained on: validators
 * draw fresh pages every evaluation.
 *
 * <p>Validators take every row's text as it is; here a row without a string text, or with a blank one, is dropped
 * and counted (validators would fail the whole load on a missing text, and score a blank one as NaN). A text the
 * viewer cut short is kept, as validators keep it, and counted in the provenance.
 */
public final class FinewebSampleSource {
    private static final Logger LOG = LoggerFactory.getLogger(FinewebSampleSource.class);

    public static final String DATASET = "HuggingFaceFW/fineweb-edu-score-2";
    /** {@code HuggingFaceLoader(num_pages=4, num_rows_per_page=100)}. */
    static final int PAGES = 4;
    static final int ROWS_PER_PAGE = 100;
    /** {@code duplicate_page_threshold} and {@code retry_limit}. */
    static final int DUPLICATE_DRAWS = 100;
    static final int PAGE_FAILURES = 10;

    static final String NOT_OBJECT = "row is not a JSON object";
    static final String NO_TEXT = "no text";
    static final String TEXT_NOT_STRING = "text not a string";
    static final String BLANK_TEXT = "blank text";

    private record Page(String config, String split, long offset, int length) {
        String name() {
            return config + "/" + split + "@" + offset + "+" + length;
        }
    }

    private final RowPages pages;
    private final long seed;

    public FinewebSampleSource(RowPages pages, long seed) {
        this.pages = pages;
        this.seed = seed;
    }

    /** Through the viewer at {@code viewerUrl}; pages are cached under {@code cache} so a rerun resumes. */
    public static FinewebSampleSource viewer(OkHttpClient http, String viewerUrl, Optional<Secret> hfToken,
            int attempts, Sleeper sleeper, Path cache, long seed) {
        DatasetViewerClient client = new DatasetViewerClient(http, viewerUrl, hfToken, attempts, sleeper);
        return new FinewebSampleSource(new ViewerPages(client, cache), seed);
    }

    /** The bundled sample ({@value BundledPages#FINEWEB}), for offline runs. */
    public static FinewebSampleSource bundled(long seed) {
        return new FinewebSampleSource(new BundledPages(BundledPages.FINEWEB), seed);
    }

    public String describe() {
        return "fineweb:" + pages.describe() + ":" + DATASET;
    }

    public FinewebLoad load(BooleanSupplier cancelled) throws IOException {
        Map<String, DatasetViewerClient.SplitSize> configs = pages.configs(DATASET, describe());
        List<DatasetViewerClient.SplitSize> live = List.copyOf(configs.values());
        Random rng = new Random(seed);
        int initialOffset = rng.nextInt(ROWS_PER_PAGE);

        Map<String, Integer> dropped = new LinkedHashMap<>();
        List<String> examples = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        Set<Page> drawn = new HashSet<>();
        List<String> read = new ArrayList<>();
        List<FinewebText> texts = new ArrayList<>();
        int rowsRead = 0;
        int truncated = 0;
        while (read.size() < PAGES) {
            Page page = draw(live, drawn, rng, initialOffset);
            if (page == null) {
                break;
            }
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("fetch-data was cancelled while reading " + describe());
            }
            DatasetViewerClient.RowsPage rows;
            try {
                rows = pages.rows(DATASET, page.config(), page.split(), page.offset(), page.length());
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                failed.put(page.name(), e.getMessage());
                LOG.warn("fineweb page {} failed ({}); drawing another", page.name(), e.getMessage());
                if (failed.size() >= PAGE_FAILURES) {
                    throw new DataSourceException(failed.size() + " pages of " + describe() + " failed, the last: "
                            + e.getMessage() + "; try again later, or with another --seed", e);
                }
                continue;
            }
            read.add(page.name());
            for (DatasetViewerClient.Row r : rows.rows()) {
                rowsRead++;
                String reason = reason(r.row());
                if (reason != null) {
                    dropped.merge(reason, 1, Integer::sum);
                    if (examples.size() < SampleCollector.MAX_EXAMPLES) {
                        examples.add("config " + page.config() + " split " + page.split() + " row " + r.rowIdx()
                                + ": " + reason);
                    }
                    continue;
                }
                if (r.truncatedCells().contains("text")) {
                    truncated++;
                }
                JsonNode id = r.row().get("id");
                texts.add(new FinewebText(r.row().get("text").textValue(), id != null && id.isTextual()
                        ? id.textValue() : null, page.name()));
            }
        }
        if (read.isEmpty() && !failed.isEmpty()) {
            throw new DataSourceException("no page of " + describe() + " could be read; the last failure: "
                    + failed.values().stream().reduce((a, b) -> b).orElseThrow() + "; try again later");
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("dataset", DATASET);
        provenance.put("rows", pages.describe());
        provenance.put("seed", seed);
        provenance.put("configsAvailable", configs.size());
        provenance.put("rowsAvailable", configs.values().stream().mapToLong(DatasetViewerClient.SplitSize::numRows)
                .sum());
        provenance.put("initialOffset", initialOffset);
        provenance.put("pages", read);
        provenance.put("pagesFailed", failed);
        provenance.put("texts", texts.size());
        provenance.put("truncatedTexts", truncated);
        return new FinewebLoad(texts, rowsRead, dropped, examples, provenance);
    }

    /** {@code get_random_pages}: a random config, a random page start; a config under one page is read from row 0. */
    private static Page draw(List<DatasetViewerClient.SplitSize> configs, Set<Page> drawn, Random rng,
            int initialOffset) {
        for (int attempt = 0; attempt < DUPLICATE_DRAWS; attempt++) {
            DatasetViewerClient.SplitSize s = configs.get(rng.nextInt(configs.size()));
            long pageCount = (s.numRows() - initialOffset + 1) / ROWS_PER_PAGE;
            long start = pageCount >= 1 ? initialOffset + rng.nextLong(pageCount) * ROWS_PER_PAGE : 0;
            int length = (int) Math.min(ROWS_PER_PAGE, s.numRows() - start);
            if (length < 1) {
                continue;
            }
            Page page = new Page(s.config(), s.split(), start, length);
            if (drawn.add(page)) {
                return page;
            }
        }
        return null;
    }

    private static String reason(JsonNode row) {
        if (row == null || !row.isObject()) {
            return NOT_OBJECT;
        }
        JsonNode text = row.get("text");
        if (text == null || text.isNull()) {
            return NO_TEXT;
        }
        if (!text.isTextual()) {
            return TEXT_NOT_STRING;
        }
        return text.textValue().isBlank() ? BLANK_TEXT : null;
    }
}
