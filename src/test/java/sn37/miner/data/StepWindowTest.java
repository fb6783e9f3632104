package sn37.miner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The step windows finetuning's loader scans: [last + 1 - steps, last + 1), paged, clipped at 0. */
class StepWindowTest {

    @Test
    void endsJustAfterTheLastStep() {
        assertEquals(new StepWindow(70, 120), StepWindow.endingAt(119, 50));
    }

    @Test
    void startsAtZeroForShortRuns() {
        assertEquals(new StepWindow(0, 31), StepWindow.endingAt(30, 500));
    }

    @Test
    void pagesDoNotOverlapAndTheLastIsCut() {
        assertEquals(List.of(new StepWindow(70, 90), new StepWindow(90, 110), new StepWindow(110, 120)),
                StepWindow.endingAt(119, 50).pages(20));
    }

    @Test
    void historicWindowsEndBetweenTheStepCountAndTheLastStep() {
        Random rng = new Random(3);
        for (int i = 0; i < 200; i++) {
            StepWindow w = StepWindow.randomEnd(1000, 100, rng);
            long last = w.endStep() - 1;
            assertTrue(last >= 100 && last <= 1000, w.toString());
            assertEquals(100, w.endStep() - w.minStep());
        }
        assertEquals(new StepWindow(0, 42), StepWindow.randomEnd(41, 100, new Random(1)));
    }
}
