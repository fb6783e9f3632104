package sn37.miner.hub;

/** The Hub rejected the request as malformed (HTTP 400). */
public final class BadRequestException extends HubException {
    public BadRequestException(String message, Info info) {
        super(message, info);
    }
}
