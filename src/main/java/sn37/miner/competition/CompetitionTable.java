package sn37.miner.competition;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Renders a schedule as a fixed-width plain-text table that fits a 160-column terminal. */
public final class CompetitionTable {

    static final int WIDTH = 160;
    private static final String INDENT = "  ";
    private static final String GAP = "  ";
    private static final String[] HEADERS = {
        "id",
        "name",
        "reward",
        "params",
        "seq len",
        "tokenizer",
        "eval delay",
        "epsilon",
        "max bytes",
        "architectures"
    };

    private CompetitionTable() {}

    /**
     * The row to mark with {@link #MARK}: competition {@code id} in the entry in force at {@code block}; {@code legend}
     * says where the block came from (the chain, or the bundled schedule when the chain was not asked).
     */
    public record Mark(long block, CompetitionId id, String legend) {}

    static final String MARK = "* ";

    public static String render(CompetitionSchedule schedule, String title) {
        return render(schedule, title, null);
    }

    public static String render(CompetitionSchedule schedule, String title, Mark mark) {
        CompetitionSchedule.Entry marked = mark == null ? null : schedule.entryAt(mark.block());
        List<String[]> rows = new ArrayList<>();
        for (CompetitionSchedule.Entry e : schedule.entries()) {
            e.competitions().forEach(c -> rows.add(cells(c)));
        }
        int fixed = HEADERS.length - 1; // every column but the wrapped architectures list
        int[] widths = new int[fixed];
        for (int i = 0; i < fixed; i++) {
            widths[i] = HEADERS[i].length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        int archColumn = INDENT.length();
        for (int w : widths) {
            archColumn += w + GAP.length();
        }
        int archWidth = Math.max(WIDTH - archColumn, 30);

        StringBuilder out = new StringBuilder(title).append('\n');
        if (mark != null) out.append(MARK).append(mark.legend()).append('\n');
        int r = 0;
        for (CompetitionSchedule.Entry e : schedule.entries()) {
            out.append('\n').append("from block ").append(e.startBlock()).append('\n');
            appendRow(out, HEADERS, widths, List.of(HEADERS[fixed]));
            for (Competition c : e.competitions()) {
                String[] row = rows.get(r++);
                int rowStart = out.length();
                appendRow(
                        out, row, widths, wrap(c.constraints().allowedArchitectures(), archWidth));
                if (e == marked && c.id() == mark.id()) out.replace(rowStart, rowStart + INDENT.length(), MARK);
                String taskIndent = INDENT + " ".repeat(widths[0] + GAP.length());
                List<String> taskLines = wrap(tasks(c), WIDTH - taskIndent.length() - 7);
                for (int i = 0; i < taskLines.size(); i++) {
                    out.append(taskIndent).append(i == 0 ? "tasks: " : "       ");
                    out.append(taskLines.get(i)).append('\n');
                }
            }
        }
        return out.toString();
    }

    private static void appendRow(
            StringBuilder out, String[] cells, int[] widths, List<String> last) {
        StringBuilder line = new StringBuilder(INDENT);
        for (int i = 0; i < widths.length; i++) {
            line.append(pad(cells[i], widths[i])).append(GAP);
        }
        String blank = " ".repeat(line.length());
        for (int i = 0; i < last.size(); i++) {
            out.append(i == 0 ? line : blank).append(last.get(i)).append('\n');
        }
    }

    private static String[] cells(Competition c) {
        ModelConstraints k = c.constraints();
        return new String[] {
            String.valueOf(c.id().id()),
            c.id().name(),
            decimal(c.rewardPercentage() * 100) + " %",
            params(k.minParams(), k.maxParams()),
            String.valueOf(k.sequenceLength()),
            k.tokenizer() == null ? "any (in repo)" : k.tokenizer(),
            String.valueOf(k.evalBlockDelay()),
            epsilon(k.epsilon()),
            bytes(k.maxBytes())
        };
    }

    static String params(long min, long max) {
        return min == 0 ? "≤ " + billions(max) : billions(min) + " – " + billions(max);
    }

    static String epsilon(LinearDecay d) {
        long perDay = ModelConstraints.BLOCKS_PER_DAY;
        String span =
                d.decayBlocks() % perDay == 0
                        ? d.decayBlocks() / perDay + " d"
                        : d.decayBlocks() + " blocks";
        return decimal(d.start()) + "→" + decimal(d.end()) + " / " + span;
    }

    static String bytes(long n) {
        long gib = ModelConstraints.GIB;
        return n % gib == 0
                ? n / gib + " GiB"
                : String.format(Locale.ROOT, "%.1f GiB", (double) n / gib);
    }

    static String tasks(Competition c) {
        return c.tasks().stream()
                .map(
                        t ->
                                t.name()
                                        + " "
                                        + weight(t.weight())
                                        + (t.ceiling() == null
                                                ? ""
                                                : " (inv-exp " + decimal(t.ceiling()) + ")"))
                .collect(Collectors.joining(", "));
    }

    private static String billions(long n) {
        return BigDecimal.valueOf(n, 9).stripTrailingZeros().toPlainString() + " B";
    }

    /** At least two decimals, so 0.9 reads "0.90" next to "0.05" and 0.975 keeps its third. */
    private static String weight(double w) {
        BigDecimal d = BigDecimal.valueOf(w).stripTrailingZeros();
        return d.setScale(Math.max(2, d.scale())).toPlainString();
    }

    private static String decimal(double x) {
        // Rounded so that e.g. 0.29 * 100 prints "29", not "28.999999999999996".
        return BigDecimal.valueOf(x)
                .setScale(6, RoundingMode.HALF_EVEN)
                .stripTrailingZeros()
                .toPlainString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    /** Greedy wrap of a ", "-joined list at item boundaries. */
    private static List<String> wrap(String joined, int width) {
        return wrap(List.of(joined.split(", ")), width);
    }

    private static List<String> wrap(List<String> items, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i) + (i < items.size() - 1 ? "," : "");
            if (line.length() > 0 && line.length() + 1 + item.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(item);
        }
        lines.add(line.toString());
        return lines;
    }
}
