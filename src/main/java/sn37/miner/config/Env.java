package sn37.miner.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import sn37.miner.io.InputFileException;
import sn37.miner.io.InputFiles;

/**
 * The only reader of environment variables and of the {@code .env} file. Real environment variables win over
 * {@code .env} entries, as python-dotenv does by default.
 */
public final class Env {
    /** A .env file holds a handful of tokens; anything larger is not one. */
    static final long MAX_DOT_ENV_BYTES = InputFiles.MIB;

    private final Map<String, String> vars;

    private Env(Map<String, String> vars) {
        this.vars = Map.copyOf(vars);
    }

    /** The process environment plus {@code .env} in {@code dir}, when that file exists. */
    public static Env load(Path dir) {
        Map<String, String> merged = new HashMap<>();
        Path dotEnv = dir.resolve(".env");
        if (Files.isRegularFile(dotEnv)) merged.putAll(parseDotEnv(dotEnv));
        merged.putAll(System.getenv());
        return new Env(merged);
    }

    public static Env of(Map<String, String> vars) {
        return new Env(vars);
    }

    public Optional<String> get(String name) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    /** The first of {@code names} that is set, e.g. {@code HF_ACCESS_TOKEN} then {@code HF_TOKEN}. */
    public Optional<String> first(String... names) {
        for (String n : names) {
            Optional<String> v = get(n);
            if (v.isPresent()) return v;
        }
        return Optional.empty();
    }

    /**
     * {@code KEY=value} lines; {@code #} comments, {@code export } prefixes and single or double quotes allowed.
     * An error names the line, never its text: the values are secrets.
     */
    static Map<String, String> parseDotEnv(Path file) {
        List<String> lines;
        try {
            lines = InputFiles.readUtf8(file, MAX_DOT_ENV_BYTES, ".env file").lines().toList();
        } catch (InputFileException e) {
            throw new ConfigException(e.getMessage());
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + InputFiles.why(e));
        }
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("export ")) line = line.substring(7).strip();
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(file + " line " + (i + 1) + ": expected KEY=value");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            } else {
                int hash = value.indexOf(" #");
                if (hash >= 0) value = value.substring(0, hash).strip();
            }
            out.put(key, value);
        }
        return out;
    }
}
