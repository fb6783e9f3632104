package sn37.miner.pipeline;

/** An API request that gets a 4xx answer with a JSON error body. */
final class ApiException extends RuntimeException {
    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
