package sn37.miner.config;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    private static final Path HOME = Path.of("").toAbsolutePath();

    @Test
    void everyKeyInThePropertiesFileHasAComment() throws Exception {
        List<String> lines = Files.readAllLines(HOME.resolve(Settings.FILE));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) continue;
            int j = i - 1;
            while (j >= 0 && !lines.get(j).isBlank() && !lines.get(j).startsWith("#")) j--;
            assertTrue(j >= 0 && lines.get(j).startsWith("#"), "key without a comment above it: " + line);
        }
    }

    @Test
    void environmentOverridesTheFileAndArgumentsOverrideTheEnvironment() {
        Env env = Env.of(Map.of("PIPELINE_RUN_CONSUMERS", "3", "CAMEL_SERVER_PORT", "9999"));
        Settings s = Settings.load(HOME, env, List.of("--camel.server.port=7777"));
        assertEquals("3", s.get("pipeline.run-consumers"));
        assertEquals("7777", s.get("camel.server.port"));
    }

    @Test
    void unknownOverrideIsAnErrorNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Settings.load(HOME, Env.of(Map.of()), List.of("--pipeline.db.pth=x")));
        assertTrue(e.getMessage().contains("'pipeline.db.pth'"), e.getMessage());
    }

    @Test
    void overrideWithoutValueIsAnError() {
        assertThrows(ConfigException.class, () -> Settings.load(HOME, Env.of(Map.of()), List.of("--pipeline.db.path")));
    }

    @Test
    void homePlaceholderAndRelativePathsResolveAgainstHome() {
        Settings s = Settings.load(HOME, Env.of(Map.of()), List.of());
        assertEquals("file:" + HOME + "/routes/*.yaml", s.get("camel.main.routes-include-pattern"));
        assertEquals(HOME.resolve("data/pipeline"), s.path("pipeline.db.path"));
    }

    @Test
    void secretsAreMaskedInTheEffectiveConfiguration() {
        Settings s = Settings.load(HOME, Env.of(Map.of("PIPELINE_API_TOKEN", "sentinel-secret-77")), List.of());
        String described = String.join("\n", s.describe());
        assertFalse(described.contains("sentinel-secret-77"));
        assertTrue(described.contains("pipeline.api.token = ****"));
    }

    @Test
    void badNumberNamesTheKeyWhenLoaded() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Settings.load(HOME, Env.of(Map.of()), List.of("--pipeline.run-consumers=zero")));
        assertEquals("--pipeline.run-consumers: pipeline.run-consumers must be an integer in [1, 64]", e.getMessage());
    }

    @Test
    void retryDelayDoublesUpToTheCap() {
        PipelineSettings p = PipelineSettings.from(Settings.load(HOME, Env.of(Map.of()), List.of()));
        assertEquals(60, p.retryDelay(0).toSeconds());
        assertEquals(120, p.retryDelay(1).toSeconds());
        assertEquals(3600, p.retryDelay(10).toSeconds());
    }
}
