package sn37.miner.hub;

/** The repo does not exist, or the token cannot see it (the Hub answers private repos it hides with this too). */
public final class RepoNotFoundException extends HubException {
    public RepoNotFoundException(String message, Info info) {
        super(message, info);
    }
}
