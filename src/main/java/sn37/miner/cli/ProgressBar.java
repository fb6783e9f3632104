package sn37.miner.cli;

import java.io.PrintStream;
import sn37.miner.stage.Progress;

/**
 * A one-line progress bar on stderr: redrawn in place on a terminal, at most one line per 10 % otherwise (logs,
 * CI), so long work shows it is moving without flooding a file.
 */
final class ProgressBar implements Progress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean terminal;
    private String lastStage;
    private long lastDecile = -1;

    ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void report(String stage, long done, long total, String detail) {
        if (!stage.equals(lastStage)) {
            if (lastStage != null && terminal) out.println();
            lastStage = stage;
            lastDecile = -1;
        }
        String line = render(stage, done, total, detail);
        if (terminal) {
            out.print("\r" + line);
            if (total > 0 && done >= total) out.println();
        } else {
            long decile = total > 0 ? done * 10 / total : done;
            if (decile != lastDecile) {
                out.println(line);
                lastDecile = decile;
            }
        }
        out.flush();
    }

    static String render(String stage, long done, long total, String detail) {
        StringBuilder sb = new StringBuilder(String.format("%-10s ", stage));
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, done * WIDTH / total);
            sb.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
            sb.append(String.format("%d/%d", done, total));
        } else {
            sb.append(done);
        }
        if (detail != null && !detail.isEmpty()) sb.append("  ").append(detail);
        return sb.toString();
    }
}
