package sn37.miner.chain.commitment;

import java.time.Duration;
import java.time.Instant;
import sn37.miner.chain.ChainException;

/**
 * The runtime's commitment rate limit does not allow a commit now. {@link #firstBlock()} is the first block in
 * which it would be accepted, {@link #notBefore()} an estimate of when that block comes.
 */
public class CommitTooEarlyException extends ChainException {
    private final long firstBlock;
    private final Instant notBefore;

    public CommitTooEarlyException(String reason, long firstBlock, long bestBlock, Duration blockTime, Instant now) {
        super(message(reason, firstBlock, bestBlock, blockTime, now));
        this.firstBlock = firstBlock;
        this.notBefore = now.plus(wait(firstBlock, bestBlock, blockTime));
    }

    public long firstBlock() {
        return firstBlock;
    }

    public Instant notBefore() {
        return notBefore;
    }

    private static Duration wait(long firstBlock, long bestBlock, Duration blockTime) {
        // The extrinsic executes in the block after the best one, so it can be sent one block early.
        return blockTime.multipliedBy(Math.max(0, firstBlock - 1 - bestBlock));
    }

    private static String message(String reason, long firstBlock, long bestBlock, Duration blockTime, Instant now) {
        Duration wait = wait(firstBlock, bestBlock, blockTime);
        return reason + "; the chain accepts the next commitment from block " + firstBlock + " (now " + bestBlock
                + "), in about " + Math.max(1, (wait.getSeconds() + 59) / 60) + " min, around "
                + now.plus(wait).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + "; nothing was sent, resume the run then (the retry sweeper does)";
    }
}
