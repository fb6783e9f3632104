package sn37.miner.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.ConsoleAppender;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * While the CLI draws its progress bar, the log goes to {@code miner.log} in the run's folder instead of stderr, so
 * log lines never break the bar; warnings and errors are also shown, one line each, above the bar. Lines logged
 * before the run has a folder (start-up) are kept and written first. {@link #close} puts the console back.
 */
final class RunLog implements AutoCloseable {
    static final String FILE = "miner.log";
    private static final int MAX_EARLY_LINES = 10_000;

    private final Logger root;
    private final List<Appender<ILoggingEvent>> consoles;
    private final ToFile appender;

    private RunLog(Logger root, List<Appender<ILoggingEvent>> consoles, ToFile appender) {
        this.root = root;
        this.consoles = consoles;
        this.appender = appender;
    }

    /** Takes the log off the console; null when logging is not logback's (nothing to move then). */
    static RunLog quiet(ProgressBar bar) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return null;
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        List<Appender<ILoggingEvent>> consoles = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> a = it.next();
            if (a instanceof ConsoleAppender) consoles.add(a);
        }
        ToFile appender = new ToFile(context, bar);
        appender.start();
        root.addAppender(appender);
        consoles.forEach(root::detachAppender);
        return new RunLog(root, consoles, appender);
    }

    /** From now on the log is appended to {@code runDir}/miner.log; returns that file. */
    Path writeTo(Path runDir) throws IOException {
        Files.createDirectories(runDir);
        return appender.open(runDir.resolve(FILE));
    }

    @Override
    public void close() {
        consoles.forEach(root::addAppender);
        root.detachAppender(appender);
        appender.stop();
    }

    private static final class ToFile extends AppenderBase<ILoggingEvent> {
        private final PatternLayout full = new PatternLayout();
        private final PatternLayout brief = new PatternLayout();
        private final ProgressBar bar;
        private final List<String> early = new ArrayList<>();
        private Writer out;

        ToFile(LoggerContext context, ProgressBar bar) {
            this.bar = bar;
            setContext(context);
            setName("run-log");
            full.setContext(context);
            full.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n");
            full.start();
            brief.setContext(context);
            brief.setPattern("%msg%nopex");
            brief.start();
        }

        synchronized Path open(Path file) throws IOException {
            if (out != null) out.close();
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            for (String line : early) out.write(line);
            early.clear();
            out.flush();
            return file;
        }

        @Override
        protected synchronized void append(ILoggingEvent event) {
            String line = full.doLayout(event);
            if (out == null) {
                if (early.size() < MAX_EARLY_LINES) early.add(line);
            } else {
                try {
                    out.write(line);
                    out.flush();
                } catch (IOException e) {
                    addError("cannot write the run's log", e);
                }
            }
            if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
                bar.above((event.getLevel() == Level.WARN ? "warning: " : "error: ") + brief.doLayout(event).strip());
            }
        }

        @Override
        public synchronized void stop() {
            super.stop();
            try {
                if (out != null) out.close();
            } catch (IOException ignored) {
                // the log is a convenience; the run record holds the outcome
            }
            out = null;
        }
    }
}
