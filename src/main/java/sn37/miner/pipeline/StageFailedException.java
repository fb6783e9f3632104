package sn37.miner.pipeline;

/** A stage threw; carries the stage name so the run records where it failed. */
final class StageFailedException extends RuntimeException {
    private final String stage;

    StageFailedException(String stage, String message, Throwable cause) {
        super(message, cause);
        this.stage = stage;
    }

    String stage() {
        return stage;
    }
}
