package sn37.miner.stage;

/**
 * Where a long stage reports how far it is (training steps, samples evaluated, bytes sent). The runner records the
 * events with the run (the API and the dashboard read them) and hands them to the CLI's progress bar.
 */
@FunctionalInterface
public interface Progress {
    Progress NONE = event -> {};

    void report(ProgressEvent event);
}
