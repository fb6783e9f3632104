package sn37.miner.hub;

/** The file does not exist at that revision. */
public final class EntryNotFoundException extends HubException {
    public EntryNotFoundException(String message, Info info) {
        super(message, info);
    }
}
