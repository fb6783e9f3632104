package sn37.miner.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import sn37.miner.config.Env;
import sn37.miner.config.Settings;
import sn37.miner.cli.ServeCommand;
import sn37.miner.stage.BuiltInStages;
import sn37.miner.stage.RunParams;
import sn37.miner.stage.Stage;
import sn37.miner.stage.StageContext;

/**
 * The pipeline server exactly as {@code miner serve} builds it, with each built-in stage journaled: a line when it
 * starts and one when it returns, appended to {@code -Dcrash.journal}. With {@code -Dcrash.before=STAGE} the process
 * stops dead when that stage starts (after the stages before it were recorded SUCCEEDED) and waits there for the
 * test's SIGKILL. SIGTERM and SIGINT stop it as they stop {@code miner serve}. Arguments are {@code --key=value} configuration overrides; secrets come from the environment.
 */
public final class CrashableServer {
    private CrashableServer() {}

    public static void main(String[] args) throws Exception {
        Path journal = Path.of(System.getProperty("crash.journal"));
        String crashBefore = System.getProperty("crash.before", "");
        Env env = Env.load(Path.of(""));
        Settings settings = Settings.load(Path.of("").toAbsolutePath(), env, List.of(args));
        List<Stage> stages = BuiltInStages.all(settings, env).stream()
                .map(s -> (Stage) new Journaled(s, journal, crashBefore)).toList();
        System.exit(ServeCommand.serve(settings, stages));
    }

    static void append(Path journal, String line) {
        try {
            Files.writeString(journal, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Journaled(Stage inner, Path journal, String crashBefore) implements Stage {
        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public Object run(StageContext ctx) throws Exception {
            append(journal, "start " + name());
            if (name().equals(crashBefore)) {
                append(journal, "crash-point before:" + name());
                Thread.sleep(Long.MAX_VALUE);
            }
            Object outputs = inner.run(ctx);
            append(journal, "done " + name());
            return outputs;
        }

        @Override
        public List<String> requires(RunParams params) {
            return inner.requires(params);
        }

        @Override
        public String explicitInputs() {
            return inner.explicitInputs();
        }

        @Override
        public boolean allowRerunIfSucceeded() {
            return inner.allowRerunIfSucceeded();
        }

        @Override
        public int startLimit() {
            return inner.startLimit();
        }
    }
}
