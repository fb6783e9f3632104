package sn37.miner.stage;

import java.util.List;

/** The stages this build provides, in pipeline order. */
public final class BuiltInStages {
    private BuiltInStages() {}

    public static List<Stage> all(StageServices services) {
        return List.of(new FetchData(), new Gate());
    }
}
