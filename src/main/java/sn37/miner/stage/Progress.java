package sn37.miner.stage;

/**
 * Where a long stage reports how far it is (training steps, questions evaluated, bytes downloaded). The CLI
 * draws a progress bar from it; the server ignores it (stage outputs and logs carry the figures).
 */
@FunctionalInterface
public interface Progress {
    Progress NONE = (stage, done, total, detail) -> {};

    /** {@code total} ≤ 0 means unknown (e.g. training until stopped). */
    void report(String stage, long done, long total, String detail);
}
