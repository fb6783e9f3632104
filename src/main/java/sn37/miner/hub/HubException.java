package sn37.miner.hub;

import java.io.IOException;

/**
 * A Hub call failed. The message names the call, the repo, the HTTP status, the Hub's error code and request id, and
 * ends with what to do; the fields carry the same facts for code that reacts to them.
 */
public class HubException extends IOException {
    /** The facts of one failed answer; {@code status} is 0 when no answer came (network failure). */
    public record Info(RepoId repo, int status, String errorCode, String requestId, String serverMessage) {
        static Info noAnswer(RepoId repo) {
            return new Info(repo, 0, null, null, null);
        }
    }

    private final transient Info info;

    public HubException(String message, Info info) {
        this(message, info, null);
    }

    public HubException(String message, Info info, Throwable cause) {
        super(message, cause);
        this.info = info;
    }

    public Info info() {
        return info;
    }

    public RepoId repo() {
        return info.repo();
    }

    public int status() {
        return info.status();
    }

    public String errorCode() {
        return info.errorCode();
    }

    public String requestId() {
        return info.requestId();
    }

    public String serverMessage() {
        return info.serverMessage();
    }
}
