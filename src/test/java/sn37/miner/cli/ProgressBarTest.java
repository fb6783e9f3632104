package sn37.miner.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import sn37.miner.stage.ProgressEvent;

class ProgressBarTest {
    private static ProgressEvent step(int done, int total, Double eta) {
        return ProgressEvent.step("train", done, total, 1, 1.23456, 1e-3, 0.5, 1280.4).withEta(eta);
    }

    @Test
    void rendersAFilledBarWithCountsLossSpeedAndEta() {
        assertEquals("train      [##########..........] 5/10 loss 1.2346 1280 tok/s ETA 1:05",
                ProgressBar.render(step(5, 10, 65.0)));
        assertEquals("train      42 loss 1.2346 1280 tok/s", ProgressBar.render(step(42, -1, null)));
        assertEquals("evaluate   [#####...............] 10/40 SYNTHETIC_MMLU ETA 1:02:03",
                ProgressBar.render(ProgressEvent.samples("evaluate", "SYNTHETIC_MMLU", 10, 40).withEta(3723.0)));
        assertEquals("upload     [##########..........] 1.5/3.0 MB model files",
                ProgressBar.render(ProgressEvent.bytes("upload", "model files", 1_500_000, 3_000_000)));
    }

    @Test
    void aLineTooLongForAnEightyColumnTerminalDropsTheSpeedFirst() {
        String line = ProgressBar.render(ProgressEvent.step("train", 12345, 100000, 1, 11.5, 1e-3, 0.5, 123456.0)
                .withEta(360000.0));
        assertEquals("train      [##..................] 12345/100000 loss 11.5000 ETA 100:00:00", line);
        assertTrue(line.length() < 80);
    }

    @Test
    void withoutATerminalPrintsAtMostOneLinePerTenthOfTheWorkAndNoEscapeCodes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        for (int i = 1; i <= 100; i++) bar.report(step(i, 100, 3.0));
        bar.above("12:00:00.000 WARN something");
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(12, out.lines().count(), "the first report, then one per tenth, then the line above");
        assertFalse(out.contains("\033") || out.contains("\r"), out);
    }

    @Test
    void onATerminalRedrawsInPlaceAndEndsTheLineWhenDone() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        bar.report(step(1, 2, null));
        bar.report(step(2, 2, 0.0));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, out.chars().filter(c -> c == '\r').count());
        assertTrue(out.endsWith("2/2 loss 1.2346 1280 tok/s\033[K" + System.lineSeparator()), out);
    }

    @Test
    void aLinePrintedWhileTheBarIsDrawnGoesAboveItAndTheBarIsDrawnAgain() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        bar.report(step(1, 4, null));
        bar.linesAbove().println("SIGINT: stopping");
        String out = bytes.toString(StandardCharsets.UTF_8);
        String drawn = "\r" + ProgressBar.render(step(1, 4, null)) + "\033[K";
        assertEquals(drawn + "\r\033[KSIGINT: stopping" + System.lineSeparator() + drawn.substring(1), out);
        bar.finish();
        assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith(System.lineSeparator()));
    }
}
