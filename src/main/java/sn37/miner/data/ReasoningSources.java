package sn37.miner.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import okhttp3.OkHttpClient;
import sn37.miner.util.Secret;
import sn37.miner.util.Sleeper;

/**
 * The DISTILLED_REASONING_3B data ({@code --data_source reasoning}): SYNTHETIC-1 SFT and Codeforces CoTs rows, from
 * the dataset viewer or, offline, from the bundled sample, each task split into evaluation and training rows by
 * {@link ReasoningSampleSource}. Same seed, same pages, same rows.
 */
public final class ReasoningSources {
    private final RowPages pages;
    private final long seed;
    private final int trainTarget;

    public ReasoningSources(RowPages pages, long seed, int trainTarget) {
        this.pages = pages;
        this.seed = seed;
        this.trainTarget = trainTarget;
    }

    /** Through the viewer at {@code viewerUrl}; pages are cached under {@code cache} so a rerun resumes. */
    public static ReasoningSources viewer(OkHttpClient http, String viewerUrl, Optional<Secret> hfToken, int attempts,
            Sleeper sleeper, Path cache, long seed, int trainTarget) {
        DatasetViewerClient client = new DatasetViewerClient(http, viewerUrl, hfToken, attempts, sleeper);
        return new ReasoningSources(new ViewerPages(client, cache), seed, trainTarget);
    }

    public static ReasoningSources bundled(long seed, int trainTarget) {
        return new ReasoningSources(new BundledPages(), seed, trainTarget);
    }

    public String describe() {
        return "reasoning:" + pages.describe();
    }

    public ReasoningLoad load(BooleanSupplier cancelled) throws IOException {
        List<ReasoningSampleSource.TaskLoad> loads = new ArrayList<>();
        for (ReasoningTask task : ReasoningTask.values()) {
            loads.add(new ReasoningSampleSource(pages, task, seed, trainTarget).load(cancelled));
        }
        return ReasoningLoad.combine(describe(), loads);
    }
}
