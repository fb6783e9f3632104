package sn37.miner.cli;

import java.io.PrintWriter;
import java.util.function.Supplier;
import picocli.CommandLine.Option;
import sn37.miner.chain.ChainSettings;
import sn37.miner.competition.CompetitionSchedule;
import sn37.miner.competition.CompetitionTable;
import sn37.miner.stage.DefaultCompetition;
import sn37.miner.stage.InvalidParameterException;

/**
 * The reference's {@code --list_competitions}, shared by {@code mine} and {@code upload}: print finetuning HEAD's
 * schedule with the competition live at the chain's current block marked, and exit. With {@code --offline}, or
 * when the node does not answer, the mark follows the bundled schedule's latest entry and says so.
 */
final class ListCompetitionsOption {
    @Option(names = "--list_competitions", description = "Print the competition schedule, marking the competition"
            + " live at the chain's current block (with --offline: the bundled schedule's latest), and exit.")
    boolean listCompetitions;

    /**
     * True when the flag was given and the table printed: the command should exit 0.
     *
     * @param endpoint the node of the run's --subtensor flags; not asked when {@code offline}
     */
    boolean printIfAsked(PrintWriter out, boolean offline, Supplier<String> endpoint, ChainSettings chain) {
        if (!listCompetitions) return false;
        CompetitionTable.Mark mark;
        if (offline) {
            mark = bundled("--offline");
        } else {
            String node = endpoint.get();
            try {
                DefaultCompetition.Choice live = DefaultCompetition.at(node, chain);
                mark = new CompetitionTable.Mark(live.block(), live.competition().id(),
                        "live at block " + live.block() + ", the current block of " + node);
            } catch (InvalidParameterException e) {
                mark = bundled("no current block from " + node);
            }
        }
        out.print(CompetitionTable.render(CompetitionSchedule.later(),
                "Competitions (finetuning HEAD v3.1.0 schedule)", mark));
        return true;
    }

    /** The latest entry of the bundled schedule, labelled as not checked against the chain. */
    private static CompetitionTable.Mark bundled(String why) {
        long block = CompetitionSchedule.liveNowBlock();
        return new CompetitionTable.Mark(block, CompetitionSchedule.later().defaultAt(block).id(),
                "by the bundled schedule's latest entry (from block " + block + "), NOT checked against the chain: "
                        + why);
    }
}
