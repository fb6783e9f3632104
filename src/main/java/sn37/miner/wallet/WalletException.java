package sn37.miner.wallet;

/** A wallet key file is missing, unreadable, unsafe or inconsistent. Messages never contain key material. */
public class WalletException extends RuntimeException {
    public WalletException(String message) {
        super(message);
    }

    public WalletException(String message, Throwable cause) {
        super(message, cause);
    }
}
