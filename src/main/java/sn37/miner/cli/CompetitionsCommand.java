package sn37.miner.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import sn37.miner.competition.CompetitionSchedule;
import sn37.miner.competition.CompetitionTable;
import sn37.miner.util.Json;

@Command(name = "competitions", mixinStandardHelpOptions = true,
        description = "Print the competitions: ids, parameter limits, architectures, tokenizer, eval delay, epsilon,"
                + " max bytes and evaluation tasks, as of Oct 2024 and in the later schedule.")
public final class CompetitionsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--schedule", description = "oct2024, later or all (default ${DEFAULT-VALUE}).", defaultValue = "all")
    String schedule;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<String> names = schedule.equals("all") ? CompetitionSchedule.NAMES : List.of(schedule);
        var out = spec.commandLine().getOut();
        for (String name : names) {
            CompetitionSchedule s = CompetitionSchedule.named(name);
            if (json) {
                out.println(Json.mapper().writeValueAsString(s));
            } else {
                out.print(CompetitionTable.render(s, name.equals("oct2024")
                        ? "Competitions as of Oct 2024 (finetuning v2.1.2)"
                        : "Later schedule (finetuning HEAD v3.1.0)"));
                out.println();
            }
        }
        return 0;
    }
}
