package sn37.miner.config;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvTest {
    @TempDir Path dir;

    @Test
    void readsDotEnvWithQuotesCommentsAndExport() throws Exception {
        Files.writeString(dir.resolve(".env"), "# tokens\nexport HF_ACCESS_TOKEN=\"hf_abc\"\nWANDB_API_KEY='k1' \n"
                + "WANDB_ACCESS_TOKEN=k2 # data\n\n");
        Map<String, String> vars = Env.parseDotEnv(dir.resolve(".env"));
        assertEquals("hf_abc", vars.get("HF_ACCESS_TOKEN"));
        assertEquals("k1", vars.get("WANDB_API_KEY"));
        assertEquals("k2", vars.get("WANDB_ACCESS_TOKEN"));
    }

    @Test
    void badDotEnvLineNamesTheFileAndLine() throws Exception {
        Files.writeString(dir.resolve(".env"), "OK=1\nnot a pair\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Env.parseDotEnv(dir.resolve(".env")));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void badDotEnvLineNeverQuotesTheFile() throws Exception {
        Files.writeString(dir.resolve(".env"), "HF_ACCESS_TOKEN=hf_secret1\nroot:hf_secret2:0:0\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Env.load(dir));
        assertEquals(dir.resolve(".env") + " line 2: expected KEY=value", e.getMessage());
    }

    @Test
    void dotEnvPastItsSizeLimitIsRefusedNamingTheLimit() throws Exception {
        Files.writeString(dir.resolve(".env"), "A=" + "x".repeat((int) Env.MAX_DOT_ENV_BYTES));
        ConfigException e = assertThrows(ConfigException.class, () -> Env.parseDotEnv(dir.resolve(".env")));
        assertEquals(".env file " + dir.resolve(".env") + " is larger than the 1 MiB limit for such a file",
                e.getMessage());
    }

    @Test
    void hfTokenFallsBackToTheStandardName() {
        Secrets s = Secrets.from(Env.of(Map.of("HF_TOKEN", "hf_std")));
        assertEquals("hf_std", s.requireHfToken().reveal());
        assertEquals("****", s.requireHfToken().toString());
    }

    @Test
    void referenceNameWinsOverTheStandardName() {
        Secrets s = Secrets.from(Env.of(Map.of("HF_TOKEN", "hf_std", "HF_ACCESS_TOKEN", "hf_ref")));
        assertEquals("hf_ref", s.requireHfToken().reveal());
    }

    @Test
    void missingHfTokenSaysWhereToSetIt() {
        ConfigException e = assertThrows(ConfigException.class, () -> Secrets.from(Env.of(Map.of())).requireHfToken());
        assertTrue(e.getMessage().contains("HF_ACCESS_TOKEN"), e.getMessage());
    }

    @Test
    void secretsNeverPrintTheirValue() {
        Secrets s = Secrets.from(Env.of(Map.of("HF_ACCESS_TOKEN", "hf_sentinel", "WANDB_API_KEY", "wb_sentinel")));
        assertFalse(s.toString().contains("sentinel"), s.toString());
    }
}
