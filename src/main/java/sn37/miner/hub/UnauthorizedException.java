package sn37.miner.hub;

/** The token is missing or invalid (HTTP 401). */
public final class UnauthorizedException extends HubException {
    public UnauthorizedException(String message, Info info) {
        super(message, info);
    }
}
