package sn37.miner.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Option;
import sn37.miner.competition.CompetitionSchedule;
import sn37.miner.competition.CompetitionTable;

/** The reference's {@code --list_competitions}, shared by {@code mine} and {@code upload}: print and exit. */
final class ListCompetitionsOption {
    @Option(names = "--list_competitions", description = "Print the competition schedule and exit.")
    boolean listCompetitions;

    /** True when the flag was given and the table printed: the command should exit 0. */
    boolean printIfAsked(PrintWriter out) {
        if (listCompetitions) {
            out.print(CompetitionTable.render(CompetitionSchedule.oct2024(), "Competitions (Oct 2024)"));
        }
        return listCompetitions;
    }
}
