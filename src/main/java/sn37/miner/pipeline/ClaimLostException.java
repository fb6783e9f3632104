package sn37.miner.pipeline;

/** Another consumer owns this run or stage: this exchange must leave the run state alone. */
final class ClaimLostException extends RuntimeException {
    ClaimLostException(String message) {
        super(message);
    }
}
