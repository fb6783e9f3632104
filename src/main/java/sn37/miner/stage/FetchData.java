package sn37.miner.stage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import sn37.miner.data.JsonlSampleSource;
import sn37.miner.data.SampleLoad;
import sn37.miner.data.SampleSource;
import sn37.miner.data.Snapshot;
import sn37.miner.data.SnapshotWriter;

/**
 * Loads SN1 multiple-choice samples and writes the ones that pass validation to the run's snapshot
 * ({@code data/sn1-snapshot.jsonl}), so later stages and resumed runs never fetch again.
 */
public final class FetchData implements Stage {
    public static final String SNAPSHOT = "sn1-snapshot";

    /** What was loaded and where it came from. */
    public record Output(
            String source,
            Map<String, Object> provenance,
            int rowsRead,
            int kept,
            Map<String, Integer> droppedByReason,
            List<String> examples,
            String snapshotPath,
            long snapshotBytes,
            String snapshotSha256) {}

    @Override
    public String name() {
        return StageNames.FETCH_DATA;
    }

    @Override
    public Output run(StageContext ctx) throws Exception {
        SampleSource source = source(ctx.params());
        SampleLoad load = source.load();
        Path target = ctx.workDir().resolve("data").resolve(SNAPSHOT + ".jsonl");
        Snapshot snap = SnapshotWriter.write(load.samples(), target);
        Artifact a = ctx.artifact(SNAPSHOT, snap.path());
        return new Output(source.describe(), load.provenance(), load.rowsRead(), load.samples().size(),
                load.droppedByReason(), load.examples(), a.path().toString(), a.sizeBytes(), a.sha256());
    }

    static SampleSource source(RunParams p) {
        if (!p.dataSource().equals("jsonl")) {
            throw new StageException("data source '" + p.dataSource() + "' is not available in this build:"
                    + " use --data_source jsonl with --data_path <file.jsonl> (or no path for the bundled sample)");
        }
        JsonlSampleSource src = p.dataPath() == null
                ? JsonlSampleSource.bundled()
                : JsonlSampleSource.of(Path.of(p.dataPath()));
        return p.dataLimit() == null ? src : src.withLimit(p.dataLimit());
    }
}
