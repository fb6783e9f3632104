package sn37.miner.stage;

import java.util.List;

/** The names of the pipeline's stages, in the order the pipeline runs them. */
public final class StageNames {
    public static final String FETCH_DATA = "fetch-data";
    public static final String LOAD_MODEL = "load-model";
    public static final String TRAIN = "train";
    public static final String EVALUATE = "evaluate";
    public static final String GATE = "gate";
    public static final String UPLOAD = "upload";
    public static final String COMMIT = "commit";

    public static final List<String> ORDER = List.of(FETCH_DATA, LOAD_MODEL, TRAIN, EVALUATE, GATE, UPLOAD, COMMIT);

    /** Stages whose failures the retry sweeper resumes by itself: they talk to a remote that may be down. */
    public static final List<String> PUBLISH = List.of(UPLOAD, COMMIT);

    private StageNames() {}
}
