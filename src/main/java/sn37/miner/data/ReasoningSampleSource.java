package sn37.miner.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DISTILLED_REASONING_3B task's rows, split in two: an evaluation split drawn first, as validators draw theirs
 * (seeded page choice, their filters, {@link ReasoningTask#evalTarget()} rows from at most
 * {@link ReasoningTask#evalPages()} pages), then a training split from further pages, disjoint from it by content
 * hash. Every row read is kept in one split or counted under a drop reason.
 *
 * <p>Pages are drawn as {@code HuggingFaceLoader.get_random_pages} draws them: the configs {@code /size} lists (all
 * but {@code default} when there are several), one random initial offset in {@code [0, pageStride)}, then per page a
 * random config and a start {@code offset + k × pageStride}; a page already read is drawn again, up to 100 times
 * ({@code duplicate_page_threshold}). A config smaller than one stride is one page from row 0. A config whose page
 * fails after the viewer client's retries is left out of later draws and named in the provenance; when every config
 * has failed the load fails.
 *
 * <p>The evaluation split never takes more than half of the rows {@code /size} counts, so a small dataset (the
 * bundled sample) still leaves rows to train on; on the real datasets (894 k and 47 k rows a config) this never
 * binds.
 */
public final class ReasoningSampleSource {
    private static final Logger LOG = LoggerFactory.getLogger(ReasoningSampleSource.class);
    static final String DUPLICATE = "duplicate content (same sha256)";
    /** {@code HuggingFaceLoader.duplicate_page_threshold}. */
    static final int DUPLICATE_DRAWS = 100;

    /** What one task's load kept, dropped and read. */
    public record TaskLoad(ReasoningTask task, List<ReasoningSample> eval, List<ReasoningSample> train, int rowsRead,
            Map<String, Integer> droppedByReason, List<String> examples, Map<String, Object> provenance) {}

    private record Page(String config, String split, long offset, int length) {
        String name() {
            return config + "/" + split + "@" + offset + "+" + length;
        }
    }

    private final RowPages pages;
    private final ReasoningTask task;
    private final long seed;
    private final int trainTarget;

    public ReasoningSampleSource(RowPages pages, ReasoningTask task, long seed, int trainTarget) {
        if (trainTarget < 1) {
            throw new IllegalArgumentException("training target must be >= 1, got " + trainTarget);
        }
        this.pages = pages;
        this.task = task;
        this.seed = seed;
        this.trainTarget = trainTarget;
    }

    public String describe() {
        return task.name() + ":" + pages.describe() + ":" + task.dataset();
    }

    public TaskLoad load(BooleanSupplier cancelled) throws IOException {
        Map<String, DatasetViewerClient.SplitSize> configs = pages.configs(task.dataset(), describe());
        long totalRows = configs.values().stream().mapToLong(DatasetViewerClient.SplitSize::numRows).sum();
        int evalCap = (int) Math.min(task.evalTarget(), totalRows / 2);
        Random rng = new Random(seed);
        int initialOffset = rng.nextInt(task.pageStride());

        Tally tally = new Tally();
        Map<String, String> failed = new LinkedHashMap<>();
        Set<Page> drawn = new HashSet<>();
        List<String> evalPages = new ArrayList<>();
        List<String> trainPages = new ArrayList<>();
        List<ReasoningSample> eval = new ArrayList<>();
        List<ReasoningSample> train = new ArrayList<>();
        while (eval.size() < evalCap && evalPages.size() < task.evalPages()) {
            Page page = draw(configs, failed, drawn, rng, initialOffset);
            if (page == null) {
                break;
            }
            List<ReasoningSample> kept = read(page, tally, failed, cancelled);
            if (kept == null) {
                continue;
            }
            evalPages.add(page.name());
            for (ReasoningSample s : kept) {
                (eval.size() < evalCap ? eval : train).add(s);
            }
        }
        int maxTrainPages = 4 * ((trainTarget + DatasetViewerClient.MAX_PAGE - 1) / DatasetViewerClient.MAX_PAGE) + 10;
        while (train.size() < trainTarget && trainPages.size() < maxTrainPages) {
            Page page = draw(configs, failed, drawn, rng, initialOffset);
            if (page == null) {
                break;
            }
            List<ReasoningSample> kept = read(page, tally, failed, cancelled);
            if (kept != null) {
                trainPages.add(page.name());
                train.addAll(kept);
            }
        }
        if (train.size() > trainTarget) {
            train = new ArrayList<>(train.subList(0, trainTarget));
        }

        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("dataset", task.dataset());
        provenance.put("rows", pages.describe());
        provenance.put("seed", seed);
        provenance.put("configsAvailable", configs.size());
        provenance.put("rowsAvailable", totalRows);
        provenance.put("initialOffset", initialOffset);
        provenance.put("evalTarget", evalCap);
        provenance.put("evalPages", evalPages);
        provenance.put("trainTarget", trainTarget);
        provenance.put("trainPages", trainPages);
        provenance.put("configsFailed", failed);
        provenance.put("eval", eval.size());
        provenance.put("train", train.size());
        return new TaskLoad(task, eval, train, tally.rowsRead, tally.dropped, tally.examples, provenance);
    }

    private Page draw(Map<String, DatasetViewerClient.SplitSize> configs, Map<String, String> failed, Set<Page> drawn,
            Random rng, int initialOffset) {
        for (int attempt = 0; attempt < DUPLICATE_DRAWS; attempt++) {
            List<DatasetViewerClient.SplitSize> live = configs.values().stream()
                    .filter(s -> !failed.containsKey(s.config())).toList();
            if (live.isEmpty()) {
                throw new DataSourceException("every config of " + describe() + " failed: " + failed
                        + "; try again later, or with another --seed");
            }
            DatasetViewerClient.SplitSize s = live.get(rng.nextInt(live.size()));
            long pageCount = (s.numRows() - initialOffset + 1) / task.pageStride();
            long start = pageCount >= 1 ? initialOffset + rng.nextLong(pageCount) * task.pageStride() : 0;
            int length = (int) Math.min(DatasetViewerClient.MAX_PAGE, s.numRows() - start);
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

    /** The kept rows of one page in row order, or null when the page could not be read (its config is then failed). */
    private List<ReasoningSample> read(Page page, Tally tally, Map<String, String> failed, BooleanSupplier cancelled)
            throws IOException {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("fetch-data was cancelled while reading " + describe());
        }
        DatasetViewerClient.RowsPage rows;
        try {
            rows = pages.rows(task.dataset(), page.config(), page.split(), page.offset(), page.length());
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            LOG.warn("leaving config {} of {} out: {}", page.config(), describe(), e.getMessage());
            failed.put(page.config(), e.getMessage());
            return null;
        }
        List<ReasoningSample> kept = new ArrayList<>();
        for (DatasetViewerClient.Row r : rows.rows()) {
            String where = "config " + page.config() + " split " + page.split() + " row " + r.rowIdx();
            ReasoningRows.Parsed parsed = ReasoningRows.parse(task, r.row(), r.truncatedCells());
            tally.rowsRead++;
            if (parsed.sample() == null) {
                tally.drop(where, parsed.reason(), parsed.detail());
            } else if (!tally.hashes.add(parsed.sample().sha256())) {
                tally.drop(where, DUPLICATE, "same content as a row read before");
            } else {
                kept.add(parsed.sample());
            }
        }
        return kept;
    }

    private static final class Tally {
        final Map<String, Integer> dropped = new LinkedHashMap<>();
        final List<String> examples = new ArrayList<>();
        final Set<String> hashes = new HashSet<>();
        int rowsRead;

        void drop(String where, String reason, String detail) {
            dropped.merge(reason, 1, Integer::sum);
            if (examples.size() < SampleCollector.MAX_EXAMPLES) {
                examples.add(where + ": " + reason + " (" + detail + ")");
            }
        }
    }
}
