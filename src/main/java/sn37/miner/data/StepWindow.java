package sn37.miner.data;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** The history steps {@code [minStep, endStep)} scanned in one W&B run. */
record StepWindow(long minStep, long endStep) {

    StepWindow {
        if (minStep < 0 || endStep < minStep) {
            throw new IllegalArgumentException("bad step window [" + minStep + ", " + endStep + ")");
        }
    }

    /**
     * The {@code steps} steps up to and including {@code lastStep}: {@code max_step = last_step + 1},
     * {@code min_step = max(0, max_step - steps)} (finetuning {@code prompting_subset_loader.py}).
     */
    static StepWindow endingAt(long lastStep, int steps) {
        long end = lastStep + 1;
        return new StepWindow(Math.max(0, end - steps), Math.max(0, end));
    }

    /**
     * Miner (historic) mode: the window ends at a random step in
     * {@code random.randint(min(steps, lastHistoryStep), lastHistoryStep)}, both ends inclusive.
     */
    static StepWindow randomEnd(long lastStep, int steps, RandomGenerator rng) {
        long low = Math.min(steps, lastStep);
        long last = low + rng.nextLong(lastStep - low + 1);
        return endingAt(last, steps);
    }

    boolean isEmpty() {
        return endStep == minStep;
    }

    /** {@code SampledHistoryScan} pages: {@code [min, min+pageSize)}, ... cut at {@code endStep}. */
    List<StepWindow> pages(int pageSize) {
        List<StepWindow> out = new ArrayList<>();
        for (long from = minStep; from < endStep; from += pageSize) {
            out.add(new StepWindow(from, Math.min(endStep, from + pageSize)));
        }
        return out;
    }
}
