package sn37.miner.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import sn37.miner.stage.Progress;
import sn37.miner.stage.ProgressEvent;

/**
 * A one-line progress bar on stderr with an ETA. On a terminal it is redrawn in place ({@code \r}, then erase to the
 * end of the line), and whatever else must be printed meanwhile goes above it through {@link #above}, so a bar
 * and a log line never share a line. Elsewhere (a pipe, a CI log) it prints plain lines without escape codes, at
 * most one per tenth of the work, so long work shows it is moving without flooding a file.
 */
final class ProgressBar implements Progress {
    private static final int WIDTH = 20;
    /** Longer lines wrap on an 80-column terminal, and a wrapped line cannot be redrawn in place. */
    private static final int MAX_LINE = 79;
    private static final String ERASE_TO_END = "\033[K";
    /** Redraws closer together than this are skipped: ten a second reads as live, and a slow link keeps up. */
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private String lastStage;
    private long lastDecile = -1;
    /** The bar now on the terminal's last line, not yet ended by a newline; null when there is none. */
    private String shown;
    private long drawnAt;

    ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void report(ProgressEvent e) {
        if (!e.stage().equals(lastStage)) {
            endLine();
            lastStage = e.stage();
            lastDecile = -1;
        }
        if (terminal) {
            long now = System.nanoTime();
            if (shown != null && !e.isComplete() && now - drawnAt < REDRAW_NANOS) return;
            String line = render(e);
            out.print("\r" + line + ERASE_TO_END);
            shown = line;
            drawnAt = now;
            if (e.isComplete()) endLine();
        } else {
            long decile = e.total() > 0 ? e.done() * 10 / e.total() : e.done();
            if (decile != lastDecile) {
                out.println(render(e));
                lastDecile = decile;
            }
        }
        out.flush();
    }

    /** Prints {@code text} on its own line; on a terminal above the bar, which is drawn again below it. */
    synchronized void above(String text) {
        if (terminal && shown != null) {
            out.print("\r" + ERASE_TO_END + text + System.lineSeparator() + shown + ERASE_TO_END);
        } else {
            out.println(text);
        }
        out.flush();
    }

    /** Ends the bar's line, so what is printed next (the run summary) starts on a line of its own. */
    synchronized void finish() {
        endLine();
        out.flush();
    }

    /** A stream whose lines go {@link #above} the bar: for messages printed while it is drawn (signals). */
    PrintStream linesAbove() {
        return new PrintStream(new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                if (b == '\n') {
                    above(line.toString(StandardCharsets.UTF_8).stripTrailing());
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        }, true, StandardCharsets.UTF_8);
    }

    private void endLine() {
        if (terminal && shown != null) out.println();
        shown = null;
    }

    static String render(ProgressEvent e) {
        String line = render(e, true);
        if (line.length() > MAX_LINE) line = render(e, false); // the speed goes first: the ETA says more
        return line.length() <= MAX_LINE ? line : line.substring(0, MAX_LINE - 1) + "…";
    }

    private static String render(ProgressEvent e, boolean speed) {
        StringBuilder sb = new StringBuilder(String.format("%-10s ", e.stage()));
        if (e.total() > 0) {
            int filled = (int) Math.min(WIDTH, Math.max(0, e.done()) * WIDTH / e.total());
            sb.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
        }
        sb.append(count(e));
        if (e.isStep()) {
            if (e.loss() != null) sb.append(String.format(Locale.ROOT, " loss %.4f", e.loss()));
            if (speed && e.tokensPerSecond() != null) {
                sb.append(String.format(Locale.ROOT, " %.0f tok/s", e.tokensPerSecond()));
            }
        } else if (e.task() != null && !e.task().isEmpty()) {
            sb.append(' ').append(e.task());
        }
        if (e.etaSeconds() != null && !e.isComplete()) sb.append(" ETA ").append(clock(e.etaSeconds()));
        return sb.toString();
    }

    private static String count(ProgressEvent e) {
        if (!ProgressEvent.BYTE.equals(e.unit())) return e.total() > 0 ? e.done() + "/" + e.total() : String.valueOf(e.done());
        double mb = 1e6;
        return e.total() > 0
                ? String.format(Locale.ROOT, "%.1f/%.1f MB", e.done() / mb, e.total() / mb)
                : String.format(Locale.ROOT, "%.1f MB", e.done() / mb);
    }

    /** 0:42, 12:05, 3:07:40 */
    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
