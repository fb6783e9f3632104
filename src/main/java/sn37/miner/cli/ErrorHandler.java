package sn37.miner.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import sn37.miner.config.ConfigException;
import sn37.miner.run.RunConflictException;
import sn37.miner.run.RunNotFoundException;
import sn37.miner.run.RunStoreException;

/**
 * Expected failures (bad flag, locked database, unknown run) print one clear line, not a stack trace. A flag
 * that does not parse is one line too, instead of picocli's message followed by the whole usage text.
 */
public final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        if (e instanceof ConfigException || e instanceof IllegalArgumentException || e instanceof RunStoreException
                || e instanceof RunNotFoundException || e instanceof RunConflictException
                || e instanceof sn37.miner.stage.StageException || e instanceof sn37.miner.wallet.WalletException) {
            cmd.getErr().println("error: " + e.getMessage());
            return 2;
        }
        cmd.getErr().println("error: " + e);
        e.printStackTrace(cmd.getErr());
        return 1;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String message = e.getMessage();
        cmd.getErr().println("error: " + message + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        cmd.getErr().flush();
        return 2;
    }
}
