package sn37.miner.wandb;

/** HTTP 401 or 403: the key is missing, wrong or lacks access. Retrying cannot help, so nothing retries it. */
public final class WandbUnauthorizedException extends WandbException {
    public WandbUnauthorizedException(String message, int status, String serverMessage) {
        super(message, status, serverMessage, null);
    }
}
