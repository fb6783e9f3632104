package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressEtaTest {
    private final AtomicLong nanos = new AtomicLong();
    private final List<ProgressEvent> seen = new ArrayList<>();
    private final ProgressEta eta = new ProgressEta(seen::add, nanos::get);

    private Double report(ProgressEvent e, double atSeconds) {
        nanos.set((long) (atSeconds * 1e9));
        eta.report(e);
        return seen.get(seen.size() - 1).etaSeconds();
    }

    @Test
    void estimatesTheTimeLeftFromTheRateSinceThePhasesFirstEventLeavingWarmUpOut() {
        assertNull(report(ProgressEvent.step("train", 1, 10, 1, 2, 1e-3, 1, 100), 30), "no rate from one event");
        assertEquals(8.0, report(ProgressEvent.step("train", 2, 10, 1, 2, 1e-3, 1, 100), 31), 1e-9);
        assertEquals(4.0, report(ProgressEvent.step("train", 6, 10, 1, 2, 1e-3, 1, 100), 35), 1e-9);
        assertEquals(0.0, report(ProgressEvent.step("train", 10, 10, 1, 2, 1e-3, 1, 100), 39), 1e-9);
    }

    @Test
    void aNewTaskOrACountThatGoesBackStartsAgainAndAnUnknownTotalHasNoEta() {
        report(ProgressEvent.samples("evaluate", "SYNTHETIC_MMLU", 8, 40), 0);
        assertEquals(3.0, report(ProgressEvent.samples("evaluate", "SYNTHETIC_MMLU", 16, 40), 1), 1e-9);
        assertNull(report(ProgressEvent.samples("evaluate", "WORD_SORTING", 1, 400), 2));
        assertEquals(98.75, report(ProgressEvent.samples("evaluate", "WORD_SORTING", 5, 400), 3), 1e-9);
        assertNull(report(ProgressEvent.step("train", 3, -1, 1, 2, 1e-3, 1, 100), 4));
        assertNull(report(ProgressEvent.step("train", 4, -1, 1, 2, 1e-3, 1, 100), 5));
    }
}
