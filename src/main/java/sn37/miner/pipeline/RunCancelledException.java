package sn37.miner.pipeline;

/** A cancel was requested, or the process is stopping: the run stops before or during the named stage. */
final class RunCancelledException extends RuntimeException {
    private final String stage;

    RunCancelledException(String stage) {
        this(stage, "cancelled on request before stage " + stage);
    }

    RunCancelledException(String stage, String message) {
        super(message);
        this.stage = stage;
    }

    String stage() {
        return stage;
    }
}
