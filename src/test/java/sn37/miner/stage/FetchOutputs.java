package sn37.miner.stage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Fetch-data outputs as the stage records them, for tests of the stages that read them. */
final class FetchOutputs {
    private FetchOutputs() {}

    /** An SN1 multiple-choice snapshot, as recorded before the held-out split (train and evaluate both read it). */
    static FetchData.Output multipleChoice(Path snapshot) {
        return new FetchData.Output("test", Map.of(), 0, 0, Map.of(), List.of(), snapshot.toString(), 0, "",
                FetchData.MULTIPLE_CHOICE, null, null, null, null, null, null);
    }

    /** SN1 multiple choice split into a training and a held-out evaluation snapshot. */
    static FetchData.Output heldOut(Path train, Path eval) {
        return new FetchData.Output("test", Map.of(), 0, 0, Map.of(), List.of(), train.toString(), 0, "",
                FetchData.MULTIPLE_CHOICE, eval.toString(), 0L, "", null, null, null);
    }

    /** Competition 4's training and evaluation snapshots. */
    static FetchData.Output reasoning(Path train, Path eval) {
        return new FetchData.Output("test", Map.of(), 0, 0, Map.of(), List.of(), train.toString(), 0, "",
                RunParams.REASONING, eval.toString(), 0L, "", null, null, null);
    }
}
