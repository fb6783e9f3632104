package sn37.miner.hub;

/** The LFS batch endpoint refused one object (a per-object {@code error} inside an HTTP 200 answer). */
public final class LfsObjectException extends HubException {
    private final String oid;

    public LfsObjectException(String message, Info info, String oid) {
        super(message, info);
        this.oid = oid;
    }

    public String oid() {
        return oid;
    }
}
