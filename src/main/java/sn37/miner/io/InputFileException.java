package sn37.miner.io;

import java.io.IOException;

/**
 * A file a user named cannot be read as asked: not a regular file, past a size limit, not UTF-8. The message names
 * the file and the reason, never a byte of what the file holds.
 */
public class InputFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /** @param subject what and which file, "SN1 data file /dev/zero"; @param reason "is a character device, ..." */
    public InputFileException(String subject, String reason) {
        super(subject + " " + reason);
        this.reason = reason;
    }

    /** The message without its subject, for callers whose own message names the file already. */
    public String reason() {
        return reason;
    }
}
