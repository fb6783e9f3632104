package sn37.miner.hub;

/** Downloaded bytes do not match the size or hash the Hub announced; the partial file was discarded. */
public final class HubIntegrityException extends HubException {
    public HubIntegrityException(String message, Info info) {
        super(message, info);
    }
}
