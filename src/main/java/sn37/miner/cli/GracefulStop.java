package sn37.miner.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import sn37.miner.pipeline.PipelineServer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * What SIGINT (Ctrl-C), SIGTERM and SIGHUP do while the pipeline runs in this process. The first one asks the
 * running stage to stop at its next step (train writes a checkpoint there), waits for the run to be recorded
 * FAILED("interrupted"), resumable, then lets the process end. If that takes longer than
 * {@code camel.main.shutdown-timeout}, or a second signal comes, the stop is forced: the run is marked
 * FAILED("interrupted") at once and the process halts. The JVM's own handling (shutdown hooks that wait on
 * in-flight work while training goes on) never starts.
 */
final class GracefulStop implements AutoCloseable {
    /** The exit status of a forced stop: 128 + SIGINT, as a shell reports a process killed by Ctrl-C. */
    static final int FORCED_EXIT = 130;
    private static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");

    private final PipelineServer server;
    private final PrintStream err;
    private final Runnable stopped;
    private final AtomicInteger signals = new AtomicInteger();
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private volatile String cause;

    private GracefulStop(PipelineServer server, PrintStream err, Runnable stopped) {
        this.server = server;
        this.err = err;
        this.stopped = stopped;
    }

    /**
     * @param stopped called once the running stages have stopped (or were marked interrupted after the timeout),
     *     e.g. to end the server's run loop; the process is not halted in that case
     */
    static GracefulStop install(PipelineServer server, PrintStream err, Runnable stopped) {
        GracefulStop stop = new GracefulStop(server, err, stopped);
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                stop.previous.put(signal, Signal.handle(signal, s -> stop.onSignal("SIG" + s.getName())));
            } catch (IllegalArgumentException unsupported) {
                // a platform without this signal (HUP on Windows): the JVM's default stays
            }
        }
        return stop;
    }

    /** Gives the signals back to the handlers they had before (the JVM's), e.g. once a CLI run has ended. */
    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }

    /** The signal that started the stop, e.g. "SIGINT"; null while none came. */
    String cause() {
        return cause;
    }

    private void onSignal(String name) {
        if (signals.incrementAndGet() > 1) {
            force(name + " again");
            return;
        }
        cause = name;
        err.println(name + ": stopping; the running stage stops at its next step and training writes a checkpoint"
                + " (up to " + server.shutdownTimeout().toSeconds() + " s; " + name + " again forces the stop)");
        err.flush();
        server.stopRuns(name);
        Thread waiter = new Thread(() -> {
            try {
                if (!server.awaitRunsStopped(server.shutdownTimeout())) {
                    force("the running stage did not stop within camel.main.shutdown-timeout ("
                            + server.shutdownTimeout().toSeconds() + " s)");
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped.run();
        }, "graceful-stop");
        waiter.setDaemon(true);
        waiter.start();
    }

    /** Marks what still runs FAILED("interrupted"), releases the database and halts: nothing keeps running. */
    private synchronized void force(String why) {
        err.println("forcing the stop: " + why);
        try {
            for (String runId : server.markInterrupted()) {
                err.println("run " + runId + " marked FAILED(interrupted); resume it with `bin/miner runs resume "
                        + runId + "`");
            }
        } catch (RuntimeException e) {
            err.println("the runs could not be marked (" + e.getMessage() + "); the next start marks them"
                    + " FAILED(interrupted)");
        }
        err.flush();
        Runtime.getRuntime().halt(FORCED_EXIT);
    }

    /** Starts the stop as a signal would, e.g. when the terminal or pipe the output goes to is gone. */
    void request(String why) {
        onSignal(why);
    }

    /** The exit status for a run stopped by {@link #cause()}: 128 + the signal's number, as a shell reports it. */
    int exitStatus() {
        return switch (cause == null ? "" : cause) {
            case "SIGHUP" -> 129;
            case "SIGTERM" -> 143;
            default -> FORCED_EXIT;
        };
    }
}
