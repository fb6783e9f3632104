package sn37.miner.hub;

/** The Hub kept answering 429 after every retry. */
public final class RateLimitedException extends HubException {
    public RateLimitedException(String message, Info info) {
        super(message, info);
    }
}
