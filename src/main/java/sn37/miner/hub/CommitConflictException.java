package sn37.miner.hub;

/** The commit's parent is no longer the branch head: someone committed in between (HTTP 409/412). */
public final class CommitConflictException extends HubException {
    public CommitConflictException(String message, Info info) {
        super(message, info);
    }
}
