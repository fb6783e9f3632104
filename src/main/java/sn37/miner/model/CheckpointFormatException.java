package sn37.miner.model;

import java.io.IOException;
import java.nio.file.Path;

/** A safetensors file or checkpoint directory that breaks the format; the message starts with the path. */
public class CheckpointFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;

    public CheckpointFormatException(Path path, String detail) {
        super(path + ": " + detail);
        this.path = path;
    }

    public CheckpointFormatException(Path path, String detail, Throwable cause) {
        super(path + ": " + detail, cause);
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
