package sn37.miner;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import sn37.miner.cli.CompetitionsCommand;
import sn37.miner.cli.ErrorHandler;
import sn37.miner.cli.MineCommand;
import sn37.miner.cli.RunsCommand;
import sn37.miner.cli.ServeCommand;
import sn37.miner.cli.UploadCommand;

/**
 * The miner's entry point. {@code bin/miner serve} runs the pipeline server; {@code bin/miner mine --offline}
 * runs one pipeline run in-process with the reference miner's flags.
 */
@Command(name = "miner", mixinStandardHelpOptions = true, version = "sn37-miner " + sn37.miner.config.MinerVersion.VERSION,
        description = "Bittensor subnet 37 (finetuning) miner pipeline.",
        subcommands = {ServeCommand.class, MineCommand.class, UploadCommand.class, RunsCommand.class,
                CompetitionsCommand.class})
public final class MinerApp {

    /** The directory holding config/, routes/ and db/: -Dsn37.home, else the working directory. */
    public static Path home() {
        return Path.of(System.getProperty("sn37.home", "")).toAbsolutePath().normalize();
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", home().resolve("config/logback.xml").toString());
        }
        CommandLine cl = commandLine();
        // picocli's writers buffer, and System.exit (or a signal) does not flush them: what a command printed
        // without a line end would never reach a pipe or a terminal
        Thread flush = new Thread(() -> flush(cl), "flush-output");
        Runtime.getRuntime().addShutdownHook(flush);
        int code = cl.execute(args);
        flush(cl);
        System.exit(code);
    }

    /**
     * The command line with the error handler, and one stdout and one stderr writer shared by every subcommand
     * (picocli otherwise opens a writer per subcommand, which the caller could not flush).
     */
    public static CommandLine commandLine() {
        ErrorHandler errors = new ErrorHandler();
        CommandLine cl = new CommandLine(new MinerApp()).setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
        cl.setOut(cl.getOut());
        cl.setErr(cl.getErr());
        return cl;
    }

    private static void flush(CommandLine cl) {
        cl.getOut().flush();
        cl.getErr().flush();
    }
}
