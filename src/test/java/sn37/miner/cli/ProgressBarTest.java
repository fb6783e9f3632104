package sn37.miner.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void rendersAFilledBarWithCountsAndDetail() {
        assertEquals("train      [###############...............] 5/10  loss 1.2", ProgressBar.render("train", 5, 10, "loss 1.2"));
        assertEquals("train      42", ProgressBar.render("train", 42, -1, ""));
    }

    @Test
    void withoutATerminalPrintsAtMostOneLinePerTenthOfTheWork() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        for (int i = 1; i <= 100; i++) bar.report("train", i, 100, "");
        long lines = bytes.toString(StandardCharsets.UTF_8).lines().count();
        assertEquals(11, lines, "the first report, then one per tenth");
    }

    @Test
    void onATerminalRedrawsInPlaceAndEndsTheLineWhenDone() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        bar.report("train", 1, 2, "");
        bar.report("train", 2, 2, "");
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, out.chars().filter(c -> c == '\r').count());
        assertTrue(out.endsWith("2/2" + System.lineSeparator()), out);
    }
}
