package sn37.miner.data;

/** A sample source that cannot be used at all: missing, not a file, or without a single valid row. */
public class DataSourceException extends RuntimeException {

    public DataSourceException(String message) {
        super(message);
    }

    public DataSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
