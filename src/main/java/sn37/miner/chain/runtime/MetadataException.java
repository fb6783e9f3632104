package sn37.miner.chain.runtime;

/** Runtime metadata is malformed, of an unsupported version, or lacks an item this client relies on. */
public class MetadataException extends RuntimeException {
    public MetadataException(String message) {
        super(message);
    }

    public MetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}
