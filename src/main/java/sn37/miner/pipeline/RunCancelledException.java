package sn37.miner.pipeline;

/** A cancel was requested; the run stops before the named stage. */
final class RunCancelledException extends RuntimeException {
    private final String stage;

    RunCancelledException(String stage) {
        super("cancelled on request before stage " + stage);
        this.stage = stage;
    }

    String stage() {
        return stage;
    }
}
