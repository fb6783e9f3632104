package sn37.miner.hub;

/** The token is valid but lacks the permission the call needs, typically write access (HTTP 403). */
public final class ForbiddenException extends HubException {
    public ForbiddenException(String message, Info info) {
        super(message, info);
    }
}
