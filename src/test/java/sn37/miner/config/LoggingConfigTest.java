package sn37.miner.config;

import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** config/logback.xml is what bin/miner logs with: a parse error there prints a stack trace on every start. */
class LoggingConfigTest {
    @Test
    void shippedLogbackConfigurationParsesWithoutErrorsAndKeepsOurPackageAtInfo() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(Path.of("config", "logback.xml").toFile());
        List<String> problems = context.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getLevel() >= Status.WARN).map(Status::getMessage).toList();
        assertEquals(List.of(), problems);
        assertEquals(Level.INFO, context.getLogger("sn37.miner").getLevel());
        context.stop();
    }
}
