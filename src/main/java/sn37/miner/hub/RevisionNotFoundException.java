package sn37.miner.hub;

/** The branch, tag or commit does not exist in the repo. */
public final class RevisionNotFoundException extends HubException {
    public RevisionNotFoundException(String message, Info info) {
        super(message, info);
    }
}
