package sn37.miner.publish;

import sn37.miner.hub.CommitResult;

/**
 * Where {@link HubPublisher} records a commit around the call, so that a crash between the two records is
 * reconciled with the Hub instead of committing twice. Implementations must persist before returning.
 */
public interface CommitLog {
    /** Before the commit request is sent. */
    void intended(PendingCommit pending);

    /** The commit is on the Hub: answered, or found there by reconciliation ({@code reused}). */
    void confirmed(PendingCommit pending, CommitResult result, boolean reused);

    /** The Hub surely does not have it (refused, or reconciliation found nothing): it may be sent again. */
    void absent(PendingCommit pending);
}
