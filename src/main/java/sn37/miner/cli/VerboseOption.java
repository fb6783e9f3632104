package sn37.miner.cli;

import picocli.CommandLine.Option;

/** {@code --verbose}: the log stays on stderr, between the progress lines, instead of going to the run's folder. */
final class VerboseOption {
    @Option(names = "--verbose", description = "Keep the log on stderr instead of <run folder>/" + RunLog.FILE + ".")
    boolean verbose;
}
