package sn37.miner.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Unmatched;
import sn37.miner.MinerApp;
import sn37.miner.util.Echo;
import sn37.miner.config.Env;
import sn37.miner.util.Json;
import sn37.miner.config.PipelineSettings;
import sn37.miner.config.Settings;
import sn37.miner.run.Run;
import sn37.miner.run.RunDatabase;
import sn37.miner.run.RunReport;
import sn37.miner.run.RunStatus;
import sn37.miner.run.RunStore;

@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "List, show and resume runs recorded in the run database (while no server holds it).",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class, RunsCommand.Resume.class})
public final class RunsCommand {

    static RunDatabase open(List<String> overrides) {
        Settings s = Settings.load(MinerApp.home(), Env.load(Path.of("")), overrides);
        return RunDatabase.open(PipelineSettings.from(s).dbPath());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Runs, newest first.")
    static final class ListRuns implements Callable<Integer> {
        private static final int MAX_LIST = 500;

        @Spec CommandSpec spec;
        @Unmatched List<String> overrides = new ArrayList<>();

        @Option(names = "--status", description = "Only runs in this status (QUEUED, RUNNING, SUCCEEDED, FAILED, REJECTED, CANCELLED).")
        String status;

        @Option(names = "--limit", defaultValue = "20", description = "At most this many, 1 to 500 (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            RunStatus filter = status == null ? null : status(status);
            if (limit < 1 || limit > MAX_LIST) {
                throw new IllegalArgumentException("--limit must be in [1, " + MAX_LIST + "] (got " + limit + ")");
            }
            try (RunDatabase db = open(overrides)) {
                List<Run> runs = new RunStore(db.dataSource()).list(filter, limit);
                var out = spec.commandLine().getOut();
                out.printf("%-36s  %-10s  %-9s  %7s  %-20s  %s%n", "id", "kind", "status", "attempt", "created", "error");
                for (Run r : runs) {
                    out.printf("%-36s  %-10s  %-9s  %7d  %-20s  %s%n", r.id(), r.kind(), r.status(), r.attempt(),
                            r.createdAt().toString().substring(0, 19), r.lastError() == null ? "" : r.lastError());
                }
                return 0;
            }
        }
    }

    private static RunStatus status(String value) {
        try {
            return RunStatus.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--status must be one of " + List.of(RunStatus.values()) + " (got "
                    + Echo.quoted(value) + ")");
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A run with its stages and outputs.")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Unmatched List<String> overrides = new ArrayList<>();

        @Parameters(paramLabel = "RUN_ID")
        String runId;

        @Option(names = "--json", description = "Print the full record as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (RunDatabase db = open(overrides)) {
                RunReport report = RunReport.of(new RunStore(db.dataSource()), runId);
                spec.commandLine().getOut().print(json
                        ? Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n"
                        : RunSummary.render(report));
                return 0;
            }
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resume a FAILED or CANCELLED run in this process; SUCCEEDED stages are skipped.")
    static final class Resume implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Unmatched List<String> overrides = new ArrayList<>();
        @picocli.CommandLine.Mixin VerboseOption verbose;

        @Parameters(paramLabel = "RUN_ID")
        String runId;

        @Override
        public Integer call() throws Exception {
            try (OneShot shot = OneShot.start(overrides, verbose.verbose)) {
                return shot.printSummary(shot.resumeAndWait(runId), spec.commandLine().getOut());
            }
        }
    }
}
