package sn37.miner.pipeline;

import java.io.IOException;
import java.nio.file.FileSystemException;
import sn37.miner.chain.ChainConnectionException;
import sn37.miner.chain.ChainException;
import sn37.miner.chain.ChainTimeoutException;
import sn37.miner.chain.ExtrinsicOutcomeUnknownException;
import sn37.miner.chain.commitment.CommitPendingException;
import sn37.miner.chain.commitment.CommitTooEarlyException;
import sn37.miner.hub.CommitOutcomeUnknownException;
import sn37.miner.hub.HubException;
import sn37.miner.hub.RateLimitedException;
import sn37.miner.run.FailureKind;

/**
 * Sorts a stage's failure into one the retry sweeper may resume (a remote down, slow, or asking to wait) and one
 * that needs a person (a missing wallet or token, a refused credential, bad input). The first exception in the cause
 * chain that says either decides; one that says neither is permanent, so the sweeper never repeats a mistake.
 */
final class FailureClassifier {
    private FailureClassifier() {}

    static FailureKind of(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            FailureKind kind = decides(e);
            if (kind != null) return kind;
        }
        return FailureKind.PERMANENT;
    }

    private static FailureKind decides(Throwable e) {
        if (e instanceof RateLimitedException || e instanceof CommitOutcomeUnknownException) return FailureKind.TRANSIENT;
        if (e instanceof HubException h) {
            int s = h.status();
            return s == 0 || s == 408 || s == 429 || s >= 500 ? FailureKind.TRANSIENT : FailureKind.PERMANENT;
        }
        if (e instanceof ChainConnectionException || e instanceof ChainTimeoutException
                || e instanceof CommitTooEarlyException || e instanceof CommitPendingException
                || e instanceof ExtrinsicOutcomeUnknownException) {
            return FailureKind.TRANSIENT;
        }
        if (e instanceof ChainException) return FailureKind.PERMANENT;
        // a local file missing or refused stays so; a socket that timed out or was refused may not
        if (e instanceof FileSystemException) return FailureKind.PERMANENT;
        if (e instanceof IOException || e instanceof InterruptedException) return FailureKind.TRANSIENT;
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) return FailureKind.PERMANENT;
        return null;
    }
}
