package sn37.miner.data;

import java.io.IOException;

/**
 * A Hugging Face dataset viewer call that failed. {@code status} is 0 without an HTTP answer; {@code errorCode} is
 * the viewer's {@code X-Error-Code} header (e.g. {@code ResponseNotFound}, {@code InvalidParameter}) or null.
 */
public final class DatasetViewerException extends IOException {
    private final int status;
    private final String errorCode;

    public DatasetViewerException(String message, int status, String errorCode, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }
}
