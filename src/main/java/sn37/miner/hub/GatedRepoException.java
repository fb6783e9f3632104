package sn37.miner.hub;

/** The repo is gated and this account has not been granted access. */
public final class GatedRepoException extends HubException {
    public GatedRepoException(String message, Info info) {
        super(message, info);
    }
}
